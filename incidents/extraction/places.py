"""Place names in a sentence, matched against the gazetteer (Location rows).

Candidates are runs of capitalised words. Each is looked up with
`Location.objects.matching` (any spelling, transliteration variants); for
Russian and Ukrainian, whose place names decline ("над Раменским",
"у Харкові"), a stem of the word is looked up among names that start with it
and accepted when the two differ only by an ending. "Région de Koursk",
"Курской области" and "Kursk oblast" ask for the region: the region row
itself, or the region of the settlement of that name.
"""

import re
from dataclasses import dataclass

from incidents import names
from incidents.extraction.vocabulary import LAUNCH_SITE_BEFORE
from incidents.models import Location

_TOKEN = re.compile(r"[^\W\d_][\w'’ʼ\-]*")
_REGION_BEFORE = re.compile(
    r"(?:régions?|regions?|oblast|province)\s+(?:de\s+|d['’]\s*|of\s+(?:the\s+)?)?$",
    re.IGNORECASE,
)
_REGION_AFTER = re.compile(
    r"^[\s-]*(?:oblast|region|obl\.|область|области|областью|області|обл\.|"
    r"край|краю|регион\w*|регіон\w*)",
    re.IGNORECASE,
)
# Capitalised words that start sentences or name people, never places here.
_NOT_PLACES = frozenset(
    [
        "la",
        "le",
        "les",
        "des",
        "dans",
        "selon",
        "alors",
        "the",
        "on",
        "in",
        "at",
        "over",
        "according",
        "a",
        "an",
        "un",
        "une",
        "по",
        "за",
        "у",
        "в",
        "на",
        "над",
        "під",
        "под",
        "о",
        "об",
        "и",
        "і",
        "та",
        "the",
        "this",
        "these",
        "ces",
        "cette",
    ]
)
_ELISION = re.compile(r"[dlDL]['’](?=[A-ZÀ-Ý])")
_SOFT_SIGNS = re.compile(r"[ьЬъЪ'’ʼ`]")
_VOWELS = re.compile(r"[aeiouy]")


@dataclass(frozen=True)
class PlaceMention:
    location: Location
    text: str
    start: int
    is_launch_site: bool = False


def find_places(sentence: str, language: str, cache=None):
    """Gazetteer rows named in `sentence`, in order, without repeats.

    This causes one SQL query per capitalised candidate (two for a declined
    Russian or Ukrainian word) not yet in `cache`, a dict the caller keeps
    for one text.
    """
    cache = {} if cache is None else cache
    found, seen = [], set()
    for text, start, end in _candidates(sentence):
        want_region = bool(
            _REGION_BEFORE.search(sentence[:start])
            or _REGION_AFTER.match(sentence[end:])
        )
        if (text, want_region) not in cache:
            cache[text, want_region] = find_location(
                text, language, want_region=want_region
            )
        location = cache[text, want_region]
        if location and location.pk not in seen:
            seen.add(location.pk)
            launch = bool(LAUNCH_SITE_BEFORE.search(sentence[:start]))
            found.append(PlaceMention(location, text, start, launch))
    return found


def find_location(text: str, language: str, *, want_region=False):
    """The gazetteer row best matching `text` (a place name), or None."""
    rows = [
        row for row in Location.objects.matching(text)[:50] if _same_name(text, row)
    ]
    if not rows and language in ("uk", "ru"):
        rows = _declined_matches(text)
    if not rows:
        return None
    if want_region:
        regions = [row for row in rows if row.kind == Location.Kind.REGION]
        regions = regions or _regions_named(text)
        if regions:
            return regions[0]
        settled = [row for row in rows if row.region]
        if settled:
            region = (
                Location.objects.filter(kind=Location.Kind.REGION)
                .matching(settled[0].region)
                .first()
            )
            if region:
                return region
    rank = {Location.Kind.SETTLEMENT: 0, Location.Kind.AIRPORT: 1}
    rows.sort(key=lambda row: (rank.get(row.kind, 2), row.pk))
    return rows[0]


def _regions_named(text):
    """Region rows whose name, less "oblast"/"région de", is `text`."""
    words = _core_words(text)
    if not words:
        return []
    rows = Location.objects.filter(kind=Location.Kind.REGION).matching(words[0])[:50]
    return [row for row in rows if _declined_same(words, row)]


def _candidates(sentence):
    """(text, start, end) of each run of capitalised words."""
    run = []
    for match in _TOKEN.finditer(sentence):
        elided = _ELISION.match(match.group())
        if elided:  # "d'Odessa", "l'Ukraine": the name after the apostrophe
            match = _TOKEN.search(sentence, match.start() + elided.end())
        word = match.group()
        joined = run and sentence[run[-1].end() : match.start()].strip() == ""
        if word[0].isupper() and word.lower() not in _NOT_PLACES:
            if run and not joined:
                yield from _emit(sentence, run)
                run = []
            run.append(match)
        elif run:
            yield from _emit(sentence, run)
            run = []
    if run:
        yield from _emit(sentence, run)


def _emit(sentence, run):
    """The whole run, then each word alone when the run has several."""
    text = sentence[run[0].start() : run[-1].end()]
    yield _strip_elision(text), run[0].start(), run[-1].end()
    if len(run) > 1:
        for match in run:
            yield _strip_elision(match.group()), match.start(), match.end()


def _strip_elision(text):
    # "l'Ukraine", "d'Odessa"
    return re.sub(r"^[ldLD]['’]", "", text)


def _fold(text):
    return names.fold(_SOFT_SIGNS.sub("", text))


def _same_name(text, row):
    """`text` is one of the row's names, spelt alike or transliterated alike.

    Short names (airport codes such as "IAR") only match in capitals, and
    loose keys of fewer than four letters ("Air" ~ "IAR") are not trusted.
    """
    folded, key = _fold(text), names.loose_key(_SOFT_SIGNS.sub("", text))
    for name in row.all_names:
        name_folded = _fold(name)
        if len(name_folded) <= 3 and not text.isupper():
            continue
        if name_folded == folded:
            return True
        if len(key) >= 4 and names.loose_key(name) == key:
            return True
    return False


def _declined_matches(text):
    """Rows whose name is `text` with another case ending."""
    words = _core_words(text)
    if not words or len(words[0]) < 4:
        return []
    # Three letters: the vowel of the stem may change (Київ, у Києві).
    rows = Location.objects.filter(search_text__contains=f"|{words[0][:3]}")[:500]
    return [row for row in rows if _declined_same(words, row)]


def _declined_same(words, row):
    for name in row.all_names:
        name_words = _core_words(name)
        if len(name_words) == len(words) and all(
            _same_stem(a, b) for a, b in zip(words, name_words, strict=True)
        ):
            return True
    return False


# Region words dropped before comparing ("Курской области" ~ "Курская область").
_REGION_WORDS = frozenset(
    [
        "region",
        "oblast",
        "oblasti",
        "oblast",
        "obl",
        "de",
        "d",
        "of",
        "the",
        "krai",
        "kray",
        "oblasti",
        "oblastiu",
    ]
)
# Russian and Ukrainian case endings, transliterated, longest first.
_ENDINGS = sorted(
    [
        "oyu",
        "oye",
        "ogo",
        "omu",
        "uyu",
        "ykh",
        "ikh",
        "ymi",
        "imi",
        "ami",
        "yami",
        "akh",
        "yakh",
        "iy",
        "yy",
        "oy",
        "aya",
        "ya",
        "ye",
        "om",
        "em",
        "ov",
        "ev",
        "ei",
        "ii",
        "yu",
        "oi",
        "oe",
        "ee",
        "ie",
        "im",
        "ym",
        "a",
        "e",
        "i",
        "o",
        "u",
        "y",
    ],
    key=len,
    reverse=True,
)


def _core_words(text):
    return [w for w in _fold(text).split() if w not in _REGION_WORDS]


def _stem(word):
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _same_stem(word, name_word):
    """Equal but for a case ending, or a vowel change (Київ/Києві, Харків/Харкові)."""
    if word == name_word or _stem(word) == _stem(name_word):
        return True
    a, b = _skeleton(_stem(word)), _skeleton(_stem(name_word))
    return len(a) >= 2 and a == b and word[0] == name_word[0]


def _skeleton(word):
    """Consonants only, doubled ones once: "kiiev" -> "kv"."""
    consonants = _VOWELS.sub("", word.replace("kh", "h"))
    return re.sub(r"(.)\1", r"\1", consonants)
