"""Words that tell what a number counts, who attacks whom and who says so.

Regular expressions over lower-cased text, one alternation per language
where the words differ; stems end in \\w* so that any case ending matches.
"""

import re


def _any(*parts):
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


DRONE_NOUN = _any(
    r"drones?\b|uavs?\b|uas\b|aéronefs?|engins?\b|appareils?\b|kamikazes?",
    r"unmanned|quadcopters?|loitering",
    r"бпла|бплa|дрон\w*|безпілотн\w*|беспилотн\w*|камікадзе|камикадзе",
    r"квадрокоптер\w*|літальн\w* апарат\w*|летательн\w* аппарат\w*",
)
# Nouns that show a number counts something other than drones.
OTHER_NOUN = _any(
    r"missiles?|rockets?|roquettes?|bombes?|bombs?|avions?|aircraft|planes?",
    r"personnes?|people|civil\w*|blessé\w*|injured|wounded|killed|morts?|victimes?",
    r"maisons?|homes?|houses?|buildings?|bâtiments?|km|kilom\w*|heures?|hours?",
    r"minutes?|ans\b|years?|jours?|days?|%|per ?cent|pour ?cent|milliards?|millions?",
    r"ракет\w*|бомб\w*|літак\w*|самолет\w*|самолёт\w*|люд\w*|человек\w*|поранен\w*",
    r"ранен\w*|загинул\w*|погиб\w*|будин\w*|дом\w*|км|годин\w*|час\w*|рок\w*|лет\b",
    r"хвилин\w*|минут\w*|дн\w*|день|відсот\w*|процент\w*|млрд|млн",
)
# "62 d'entre eux", "62 of them", "62 з них": the drones just named.
OF_THEM = _any(
    r"d['’]entre (?:eux|elles)|de ces|des\b|of them|of these|of the",
    r"з них|із них|из них|з цих|из этих",
)
INTERCEPTED = _any(
    r"intercept\w*|abatt\w*|détrui\w*|neutralis\w*|neutraliz\w*",
    r"shot down|shoot down|downed|brought down|destroyed|suppressed",
    r"збит\w*|збил\w*|збива\w*|знешкод\w*|знищ\w*|перехопл\w*|нейтраліз\w*",
    r"сбит\w*|сбил\w*|сбива\w*|перехвач\w*|перехват\w*|уничтож\w*|нейтрализ\w*",
    r"подавлен\w*",
)
LAUNCHED = _any(
    r"lanc(?!et)\w*|tiré\w*|tir\b|déploi\w*|déploy\w*|envoy\w*|attaqu\w*|utilis\w*",
    r"launch\w*|fired|sent|attack\w*|used|deployed",
    r"випуст\w*|випущ\w*|запуст\w*|запущ\w*|атакува\w*|атак\w*|застосува\w*",
    r"выпуст\w*|выпущ\w*|запусти\w*|запущ\w*|атакова\w*|примени\w*",
)
# Words of a sentence about the attack though it names no drone.
ATTACK_WORDS = _any(
    r"au-dessus|\bover\b|\bнад\b|attaqu\w*|attack\w*|атак\w*|удар\w*|frappe\w*",
    r"strikes?|\bhit\b|débris|debris|fragments|wreckage|уламк\w*|обломк\w*",
    r"влучан\w*|попадан\w*|пошкодж\w*|поврежд\w*|damage\w*|dégâts|explosions?",
    r"вибух\w*|взрыв\w*",
)
# "60 Shaheds launched from Kursk oblast", "з напрямку Брянська": a launch site.
LAUNCH_SITE_BEFORE = _any(
    r"(?:launched|lancés?|tirés?|запущен\w*|випущен\w*|выпущен\w*)\s+"
    r"(?:from|depuis|de|з|із|зі|из|с|со)\s+(?:\S+\s+){0,2}$",
    # "з напрямків: Курськ, Орел, Приморсько-Ахтарськ": a list of them.
    r"(?:from the directions? of|from the areas? of|en provenance de|depuis les?"
    r" régions? de|з напрямк\w*|з боку|з район\w*|со сторон\w*|с направлени\w*"
    r"|из район\w*)\s*:?\s+(?:[^\s.;]+\s+){0,8}$",
)
# Words that mark the place as hit (a target) rather than an interception area.
IMPACT = _any(
    r"\bhit\b|struck|strikes? on|frapp\w*|touch[ée]\w*|visant|vis[ée]\w*|cible",
    r"damage\w*|dégâts|endommag\w*|debris|débris|wreckage|fragments|explosions?",
    r"влучан\w*|влучил\w*|уражен\w*|пошкодж\w*|уламк\w*|вибух\w*|удар\w* по",
    r"попадан\w*|поражен\w*|поврежд\w*|обломк\w*|взрыв\w*|атак\w* на",
)
# Drones that went astray are neither intercepted nor a separate launch.
NOT_COUNTED = _any(r"локаційно|locally lost|perdus|потерян\w* локац\w*|втрачен\w*")

COUNTRY_WORDS = {
    "UA": r"ukrain\w*|україн\w*|украин\w*|kyiv|kiev|київ\w*|києв\w*|киев\w*",
    "RU": r"russ\w*|росі\w*|російськ\w*|росси\w*|российск\w*|рф\b|moscou|moscow"
    r"|москв\w*|кремл\w*|kremlin",
}
ATTACKER = {
    "RU": _any(
        r"drones? russes|russian (?:drones?|uavs?)",
        r"russian (?:forces|army|military|troops) (?:launched|attacked|fired|sent)",
        r"russia (?:has |had )?(?:launched|attacked|fired|sent|used)",
        r"la russie a (?:lancé|tiré|attaqué|envoyé|utilisé)|l['’]armée russe a",
        r"forces russes ont|moscou a (?:lancé|tiré)",
        r"росі\w* (?:випустил|атакувал|запустил)\w*",
        r"російськ\w* (?:дрон|бпла|ударн|безпілот)\w*|рф (?:атакувал|випустил)\w*",
        r"российск\w* (?:беспилот|дрон|бпла|ударн)\w*",
        r"россия (?:атаковала|выпустила|запустила)",
    ),
    "UA": _any(
        r"drones? ukrainiens|ukrainian (?:drones?|uavs?)",
        r"ukrainian (?:forces|army|military) (?:launched|attacked|fired|sent)",
        r"ukraine (?:has |had )?(?:launched|attacked|fired|sent|used)",
        r"l['’]ukraine a (?:lancé|tiré|attaqué)|kyiv a (?:lancé|tiré|attaqué)",
        r"киевск\w* режим\w*|всу\b|вооруж\w* сил\w* украин\w*",
        r"украинск\w* (?:беспилот|дрон|бпла|ударн)\w*",
        r"українськ\w* (?:дрон|бпла|безпілот)\w*",
        r"сил\w* оборони україни (?:атакува|ураз)\w*",
    ),
}
ENEMY_UK = _any(r"противник\w*|ворог\w*|окупант\w*|рашист\w*")
TARGET = {
    "UA": _any(
        r"(?:visant|contre|sur|vers|against|on|at|targeting|over|по|на|над)"
        r" (?:l['’]|the |directement )?(?:ukraine|україн\w*|украин\w*)",
        r"l['’]ukraine a (?:subi|été)|ukraine (?:was|has been) (?:attacked|targeted)",
        r"attacks? on ukraine|attaques? (?:contre|sur) l['’]ukraine",
        r"(?:attacked|attaqué|атакува\w*|атаковал\w*) (?:l['’])?"
        r"(?:ukraine|україн\w*|украин\w*)",
    ),
    "RU": _any(
        r"(?:visant|contre|sur|vers|against|on|at|targeting|over|по|на|над)"
        r" (?:la |the |directement )?(?:russie|russia|росі\w*|росси\w*)",
        r"la russie a (?:subi|été)|russia (?:was|has been) (?:attacked|targeted)",
        r"(?:attacked|attaqué|атакува\w*|атаковал\w*) (?:la )?"
        r"(?:russia|russie|росі\w*|росси\w*)",
        r"(?:над|по) территори\w* (?:россии|рф|российской)",
    ),
}
UNCLAIMED = _any(
    r"n['’](?:ont|a)\b[^.;]{0,40}?\bpas\b[^.;]{0,20}?revendiqu",
    r"aucune revendication|non revendiqu|sans revendication|pas été revendiqu",
    r"(?:did not|didn['’]t|has not|have not|hasn['’]t|haven['’]t|not yet)"
    r"\s+(?:yet\s+|publicly\s+)?claim",
    r"no one (?:has )?claimed|nobody (?:has )?claimed|unclaimed|no claim of",
    r"не взял\w* на себ\w*|ніхто не взяв|никто не взял|не визнал\w*|не признал\w*",
)
CLAIMED = _any(
    r"(?<!pas )revendiqu\w*|claimed responsibility|took responsibility",
    r"(?<!не )взял\w* на себ\w* відповідальн\w*",
    r"(?<!не )взял\w* на себ\w* ответствен\w*",
)
# Claimants under one name whatever the language of the report.
CLAIMANTS = [
    (
        "Volodymyr Zelensky, President of Ukraine",
        _any(r"zelensk\w*|зеленськ\w*|зеленск\w*"),
    ),
    (
        "Ukrainian Air Force",
        _any(
            r"air force|armée de l['’]air ukrainienne|forces aériennes ukrainiennes",
            r"повітрян\w* сил\w*|впс зсу|вввс украин\w*|воздушн\w* сил\w* украин\w*",
        ),
    ),
    (
        "General Staff of the Armed Forces of Ukraine",
        _any(r"general staff|état-major ukrainien|генштаб\w* зсу|генеральн\w* штаб\w*"),
    ),
    (
        "Russian Ministry of Defence",
        _any(
            r"minist\w* (?:of )?(?:defen[cs]e|de la défense)(?: of russia| russe)?",
            r"russian (?:ministry of )?defen[cs]e ministry",
            r"russia['’]s (?:defen[cs]e ministry|ministry of defen[cs]e)",
            r"minist[eè]re russe de la défense",
            r"минобороны|министерств\w* обороны",
            r"міноборони рф|міністерств\w* оборони рф",
            r"міністерств\w* оборони росії|\bmod\b",
        ),
    ),
    (
        "Russian authorities",
        _any(
            r"autorités russes|russian (?:authorities|officials)|российск\w* власт\w*"
        ),
    ),
    ("Sergei Sobyanin, Mayor of Moscow", _any(r"sobianine|sobyanin|собянин\w*")),
    (
        "Ukrainian authorities",
        _any(
            r"autorités ukrainiennes|ukrainian (?:authorities|officials)",
            r"українськ\w* влад\w*",
        ),
    ),
]
# "selon X", "according to X", "за даними X", "по данным X": who else speaks.
CLAIMANT_PHRASE = _any(
    r"(?:selon|d['’]après)\s+(?:le |la |les |l['’])?(?P<fr>[^,.;:()]{3,60})",
    r"according to\s+(?:the )?(?P<en>[^,.;:()]{3,60})",
    r"за даними\s+(?P<uk>[^,.;:()]{3,60})",
    r"по данным\s+(?P<ru>[^,.;:()]{3,60})",
)

# Names of common models in reports, by the name of the weapon model they
# stand for (the catalogue's own aliases are added to these).
WEAPON_ALIASES = {
    "Shahed-136/131": [
        "Shahed",
        "Shahed-136",
        "Shahed-131",
        "Шахед",
        "Geran",
        "Geran-2",
        "Géran",
        "Герань",
        "Герані",
        "Герани",
    ],
    "Gerbera": ["Gerbera", "Гербера"],
    "Lancet": ["Lancet", "Ланцет"],
    "Iskander-M": ["Iskander-M", "Искандер-М", "Іскандер-М"],
    "Kalibr": ["Kalibr", "Калибр", "Калібр"],
}
# First words of catalogue names that do not name a model on their own.
GENERIC_WEAPON_WORDS = frozenset(
    ["aerial", "ballistic", "cruise", "guided", "intercontinental", "reconnaissance"]
)
