"""Draft incidents proposed from the text of a news report.

The text is cut into paragraphs and sentences. A sentence with a drone count
opens an incident, or adds to the current one when it names the same target;
the sentences after it in its paragraph add places, claimants and the
attribution. Every proposed value keeps the sentence it came from.
"""

import re
from dataclasses import dataclass

from anyascii import anyascii
from django.utils.translation import gettext as _

from incidents.extraction import vocabulary as v
from incidents.extraction.dates import (
    Window,
    find_times,
    find_window,
    is_day_and_month,
)
from incidents.extraction.language import LANGUAGES, detect_language
from incidents.extraction.numbers import digits
from incidents.extraction.places import find_places
from incidents.extraction.proposal import (
    INTERCEPTED,
    LAUNCHED,
    Figure,
    PlaceProposal,
    Proposal,
    SourceProposal,
    WeaponLineProposal,
)
from incidents.models import (
    Country,
    Incident,
    IncidentLocation,
    Location,
    WeaponLine,
    WeaponModel,
)

MAX_TEXT_LENGTH = 50_000
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”)]*\s+(?=[\"«“(]?[^\W\d_]|\d)")
_ABBREVIATION = re.compile(r"(?:\b\w|obl|St|Dr|Mr|etc|гг|обл|м|р|г)\.$")
_TOKEN = re.compile(r"\d+|[^\W\d_]+(?:[-'’ʼ][^\W\d_]+)*|[^\w\s]")
_X_OF_Y = re.compile(
    r"\b(\d+)\s+(?:of|out of|sur|des|de|з|із|из)\s+(?:the\s+|les\s+)?(\d+)\b",
    re.IGNORECASE,
)
_OTHER_SIDE = {Country.RUSSIA: Country.UKRAINE, Country.UKRAINE: Country.RUSSIA}


@dataclass
class _Sentence:
    text: str  # as written, quoted as evidence
    normal: str  # numbers as digits
    paragraph: int


def extract_incidents(
    text, *, published_on=None, url="", publisher="", language=None
) -> list[Proposal]:
    """Draft incidents proposed from a report; nothing is saved.

    `published_on` (a date) resolves "overnight", "la nuit de samedi à
    dimanche"...; `language` is detected when not given. This causes SQL
    queries: weapon models, and the gazetteer for each capitalised name.
    """
    text = (text or "")[:MAX_TEXT_LENGTH]
    language = language if language in LANGUAGES else detect_language(text)
    context = _Context(language, published_on, _weapons())
    for sentence in _sentences(text, language):
        context.read(sentence)
    proposals = context.finish()
    title = next((line.strip() for line in text.splitlines() if line.strip()), "")
    for proposal in proposals:
        _finish(proposal, context, language, published_on, url, publisher, title)
    return proposals


def _sentences(text, language):
    paragraphs = re.split(r"\n\s*\n" if re.search(r"\n\s*\n", text) else r"\n", text)
    for number, paragraph in enumerate(paragraphs):
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            continue
        for part in _split(paragraph):
            yield _Sentence(part, digits(part, language), number)


def _split(paragraph):
    parts, start = [], 0
    for match in _SENTENCE_END.finditer(paragraph):
        before = paragraph[start : match.start()]
        if _ABBREVIATION.search(before.rstrip('"»”)')):
            continue
        parts.append(paragraph[start : match.start()].strip())
        start = match.end()
    parts.append(paragraph[start:].strip())
    return [part for part in parts if part]


def _weapons():
    """(weapon, folded terms) for every named model.

    "Unknown" models and the combined rows of imported data ("Shahed-136/131
    and Lancet") are skipped: a report names one model at a time.
    """
    result = []
    weapons = (
        WeaponModel.objects.exclude(category=WeaponModel.Category.UNKNOWN_DRONE)
        .exclude(name__contains=" and ")
        .exclude(name__istartswith="unknown")
    )
    for weapon in weapons:
        terms = set()
        names = [weapon.name, *weapon.aliases, *v.WEAPON_ALIASES.get(weapon.name, [])]
        for name in names:
            folded = _fold(name)
            if len(folded) >= 4:
                terms.add(folded)
                # "Shahed" for "Shahed-136/131", but not "ballistic" alone.
                first = folded.split()[0]
                if len(first) >= 4 and first not in v.GENERIC_WEAPON_WORDS:
                    terms.add(first)
        result.append((weapon, sorted(terms, key=len, reverse=True)))
    return result


def _fold(text):
    return " ".join(re.sub(r"[^a-z0-9]+", " ", anyascii(text).lower()).split())


@dataclass
class _Count:
    kind: str
    value: int
    weapon: WeaponModel | None


class _Context:
    """Reads sentences in order and groups them into proposals."""

    def __init__(self, language, published_on, weapons):
        self.language = language
        self.published_on = published_on
        self.weapon_terms = {}  # folded term -> weapons it names
        for weapon, terms in weapons:
            for term in terms:
                self.weapon_terms.setdefault(term, set()).add(weapon)
        ordered = sorted(self.weapon_terms, key=len, reverse=True)
        self.weapon_pattern = (
            re.compile(r"(?<= )(?:" + "|".join(map(re.escape, ordered)) + ")")
            if ordered
            else None
        )
        self.proposals = []
        self.current = None
        self.current_paragraph = None
        self.last_window = None  # (window, evidence) seen last, for "meanwhile"
        self.first_window = None
        self.places = {}  # (name, wants a region) -> Location, for this text
        self.pending = {}  # paragraph -> [(sentence, window)] before its figures

    # -- reading ------------------------------------------------------------
    def read(self, sentence):
        lowered = sentence.normal.lower()
        window = find_window(sentence.text, self.language, self.published_on)
        relevant = bool(
            v.DRONE_NOUN.search(lowered)
            or v.INTERCEPTED.search(lowered)
            or v.UNCLAIMED.search(lowered)
            or v.ATTACK_WORDS.search(lowered)
        )
        if window and relevant:
            self.last_window = (window, sentence.text)
            self.first_window = self.first_window or self.last_window
        counts = self._counts(sentence.normal) if relevant else []
        if counts:
            places = find_places(sentence.text, self.language, self.places)
            attacker, target = self._sides(lowered, places)
            if target is None and attacker in _OTHER_SIDE:
                target = _OTHER_SIDE[attacker]
            proposal = self._proposal_for(attacker, target)
            self._add_counts(proposal, counts, sentence)
            self._add_sides(proposal, attacker, target, sentence)
            self._add_places(proposal, places, sentence)
            self._add_other(proposal, sentence, lowered)
            if window:
                self._set_window(proposal, window, sentence.text)
            else:
                self._add_times(proposal, sentence)
            self.current_paragraph = sentence.paragraph
            # Sentences before the figures, in their paragraph, tell about them too.
            for earlier, earlier_window in self.pending.pop(sentence.paragraph, []):
                self._follow(proposal, earlier, earlier_window, relevant=True)
        elif self.current is not None and sentence.paragraph == self.current_paragraph:
            self._follow(self.current, sentence, window, relevant)
        elif relevant:
            self.pending = {
                sentence.paragraph: self.pending.get(sentence.paragraph, [])
            }
            self.pending[sentence.paragraph].append((sentence, window))

    def _follow(self, proposal, sentence, window, relevant):
        """A sentence near the figures: who says so, whether anyone claimed
        the attack, and (when it is about the attack) where and when."""
        lowered = sentence.normal.lower()
        self._add_other(proposal, sentence, lowered)
        if not relevant:
            return
        places = find_places(sentence.text, self.language, self.places)
        attacker, target = self._sides(lowered, places)
        if target in (None, proposal.target_country.value):
            self._add_sides(proposal, attacker, target, sentence)
            self._add_places(proposal, places, sentence)
        if window and proposal.started_at.evidence is None:
            self._set_window(proposal, window, sentence.text)
        else:
            self._add_times(proposal, sentence)

    def _proposal_for(self, attacker, target):
        current = self.current
        if current is not None:
            same_target = target is None or current.target_country.value in (
                None,
                target,
            )
            same_attacker = attacker is None or current.attacker.value in (
                Country.UNKNOWN,
                attacker,
            )
            if same_target and same_attacker:
                return current
        self.current = Proposal()
        self.proposals.append(self.current)
        if self.last_window:
            # "Dans le même temps": the window last named, until one is given.
            window, evidence = self.last_window
            self._set_window(self.current, window, evidence)
        return self.current

    # -- counts -------------------------------------------------------------
    def _counts(self, normal):
        tokens = list(_TOKEN.finditer(normal))
        intercept_at = _positions(tokens, normal, v.INTERCEPTED)
        launch_at = _positions(tokens, normal, v.LAUNCHED)
        pairs = {}
        for match in _X_OF_Y.finditer(normal):
            if intercept_at:
                pairs[match.start(1)] = INTERCEPTED
                pairs[match.start(2)] = LAUNCHED
        counts = []
        for index, token in enumerate(tokens):
            text = token.group()
            if not text.isdigit() or not self._is_count(tokens, index, normal):
                continue
            value = int(text)
            after = _window_text(tokens, index, normal)
            weapon = self._weapon(after) or self._weapon(
                _before_text(tokens, index, normal)
            )
            if v.NOT_COUNTED.search(after) or v.NOT_COUNTED.search(
                _before_text(tokens, index, normal)
            ):
                continue
            kind = pairs.get(token.start())
            if kind is None:
                to_intercept = _distance(index, intercept_at)
                to_launch = _distance(index, launch_at)
                kind = INTERCEPTED if to_intercept < to_launch else LAUNCHED
            counts.append(_Count(kind, value, weapon))
        return counts

    def _is_count(self, tokens, index, normal):
        text = tokens[index].group()
        value = int(text)
        if len(text) == 4 and 1900 <= value <= 2100:
            return False  # a year
        neighbours = normal[max(0, tokens[index].start() - 1) : tokens[index].end() + 1]
        if re.search(r"\d[:.,/h]\d|[:/.]\d|\dh$|№|#", neighbours.rstrip()):
            return False  # a time, a date written with dots, a decimal
        if re.search(r"[^\W\d_]-$", normal[: tokens[index].start()]):
            return False  # a model designation: "Geran-2", "Shahed-136"
        following = tokens[index + 1].group() if index + 1 < len(tokens) else ""
        if following[:1].isalpha() and is_day_and_month(text, following, self.language):
            return False  # "в ночь на 9 ноября"
        after = _window_text(tokens, index, normal)
        noun = v.DRONE_NOUN.search(after)
        drone_at = noun.start() if noun else (0 if self._weapon(after) else None)
        other = v.OTHER_NOUN.search(after)
        if drone_at is not None and (other is None or other.start() > drone_at):
            return True
        if other:
            return False
        context = bool(
            v.DRONE_NOUN.search(normal.lower())
            or self._weapon(normal)
            or self.current is not None
        )
        # "62 d'entre eux", "62 of them": the drones of the sentence;
        # "Soixante ont été abattus", "збито 62": a count by its verb.
        before = _before_text(tokens, index, normal)
        counted = (
            v.OF_THEM.match(after.strip())
            or v.INTERCEPTED.search(after)
            or v.INTERCEPTED.search(before)
        )
        return bool(counted) and context

    def _weapon(self, text):
        """The one weapon model named in `text`; None for none or several.

        Longer names are tried first, so "Iskander" inside "Iskander-M" does
        not count as a second model.
        """
        if self.weapon_pattern is None:
            return None
        folded = f" {_fold(text)} "
        found = set()
        for match in self.weapon_pattern.finditer(folded):
            found |= self.weapon_terms[match.group()]
        return found.pop() if len(found) == 1 else None

    def _add_counts(self, proposal, counts, sentence):
        claimant = _claimant(sentence.text)
        for count in counts:
            proposal.figures.append(
                Figure(count.kind, count.value, count.weapon, claimant, sentence.text)
            )
            if count.weapon is not None:
                line = next(
                    (x for x in proposal.weapon_lines if x.weapon == count.weapon), None
                )
                if line is None:
                    line = WeaponLineProposal(count.weapon, evidence=sentence.text)
                    proposal.weapon_lines.append(line)
                if getattr(line, count.kind) is None:
                    setattr(line, count.kind, count.value)
                continue
            total = (
                proposal.drones_launched
                if count.kind == LAUNCHED
                else proposal.drones_intercepted
            )
            if total.value is None:
                total.set(count.value, sentence.text)
            elif total.value != count.value:
                proposal.warnings.append(
                    _("Another %(kind)s figure, %(value)s, was left out: “%(s)s”")
                    % {"kind": count.kind, "value": count.value, "s": sentence.text}
                )
        if sentence.text not in proposal.sentences:
            proposal.sentences.append(sentence.text)

    # -- sides, places, claimants -------------------------------------------
    def _sides(self, lowered, places):
        attacker = next(
            (code for code, pattern in v.ATTACKER.items() if pattern.search(lowered)),
            None,
        )
        if attacker is None and self.language == "uk" and v.ENEMY_UK.search(lowered):
            attacker = "RU"  # "противник", "ворог": Russia, in Ukrainian reports
        target = next(
            (code for code, pattern in v.TARGET.items() if pattern.search(lowered)),
            None,
        )
        sides = (Country.RUSSIA, Country.UKRAINE)
        # Country names are read by the patterns above, not as places.
        places = [p for p in places if p.location.kind != Location.Kind.COUNTRY]
        launch = [p.location.country for p in places if p.is_launch_site]
        if attacker is None and launch and launch[0] in sides:
            attacker = launch[0]  # launched from its own territory
        if target is None:
            countries = [
                p.location.country
                for p in places
                if p.location.country in sides and not p.is_launch_site
            ]
            if countries:
                target = countries[0]
        if target is None and attacker is None:
            mentioned = [
                code
                for code, pattern in v.COUNTRY_WORDS.items()
                if re.search(pattern, lowered)
            ]
            if len(mentioned) == 1 and v.DRONE_NOUN.search(lowered):
                target = mentioned[0]
        if attacker is not None and attacker == target:
            target = None
        return (
            Country(attacker) if attacker else None,
            Country(target) if target else None,
        )

    def _add_sides(self, proposal, attacker, target, sentence):
        if attacker and proposal.attacker.value == Country.UNKNOWN:
            proposal.attacker.set(attacker, sentence.text)
        if target and proposal.target_country.value is None:
            proposal.target_country.set(target, sentence.text)

    def _add_places(self, proposal, places, sentence):
        lowered = sentence.normal.lower()
        # Hits, damage and debris mark a target; "over", "shot down" an
        # interception area; a place with neither is taken as a target.
        if v.IMPACT.search(lowered):
            role = IncidentLocation.Role.TARGET
        elif v.INTERCEPTED.search(lowered) or re.search(
            r"au-dessus|\bover\b|\bнад\b", lowered
        ):
            role = IncidentLocation.Role.INTERCEPTION
        else:
            role = IncidentLocation.Role.TARGET
        for place in places:
            location = place.location
            if location.kind == Location.Kind.COUNTRY:
                continue
            if place.is_launch_site:
                place_role = IncidentLocation.Role.LAUNCH
            else:
                place_role = role
                target = proposal.target_country.value
                if target and location.country != target:
                    continue
            if any(p.location == location for p in proposal.places):
                continue
            proposal.places.append(PlaceProposal(location, place_role, sentence.text))

    def _add_other(self, proposal, sentence, lowered):
        if v.UNCLAIMED.search(lowered):
            proposal.attribution.set(Incident.Attribution.UNCLAIMED, sentence.text)
        elif v.CLAIMED.search(lowered) and proposal.attribution.value is None:
            proposal.attribution.set(Incident.Attribution.CLAIMED, sentence.text)
        claimant = _claimant(sentence.text)
        if claimant:
            for figure in proposal.figures:
                if not figure.claimant:
                    figure.claimant = claimant
            if sentence.text not in proposal.sentences:
                proposal.sentences.append(sentence.text)

    def _set_window(self, proposal, window: Window, evidence):
        proposal.window = window
        proposal.started_at.set(window.started_at(), evidence)
        proposal.ended_at.set(window.ended_at(), evidence)
        precision = (
            Incident.Precision.MINUTE if window.has_times else Incident.Precision.DAY
        )
        proposal.time_precision.set(precision, evidence)

    def _add_times(self, proposal, sentence):
        """Times of day given apart from the date ("the attack lasted from
        18:30 to 06:00") complete the window already proposed."""
        window = proposal.window
        if window is None or window.has_times:
            return
        times = find_times(sentence.text)
        if times:
            self._set_window(proposal, window.with_times(times), sentence.text)

    def finish(self):
        return [p for p in self.proposals if p.figures]


def _positions(tokens, normal, pattern):
    """Indexes of tokens where `pattern` matches in `normal`."""
    starts = [m.start() for m in pattern.finditer(normal)]
    return [
        index
        for index, token in enumerate(tokens)
        if any(token.start() <= s < token.end() for s in starts)
    ]


def _distance(index, positions):
    return min((abs(index - p) for p in positions), default=10_000)


def _window_text(tokens, index, normal, size=6):
    """Up to `size` words after a number, stopping at the next number."""
    end = tokens[index].end()
    last, words = end, 0
    for token in tokens[index + 1 :]:
        if token.group().isdigit() or token.group() in ".;" or words == size:
            break
        words += token.group()[0].isalpha()
        last = token.end()
    return normal[end:last].lower()


def _before_text(tokens, index, normal, size=3):
    start = tokens[index].start()
    first = start
    for token in reversed(tokens[max(0, index - size) : index]):
        if token.group().isdigit() or token.group() in ".;,":
            break
        first = token.start()
    return normal[first:start].lower()


def _claimant(sentence):
    """Who a sentence says makes its claim, or ""."""
    lowered = sentence.lower()
    if v.UNCLAIMED.search(lowered):
        lowered = v.UNCLAIMED.sub(" ", lowered)
        # "the Ukrainian authorities did not claim": not a claimant.
        lowered = re.sub(
            r"autorités ukrainiennes|ukrainian (?:authorities|officials)", " ", lowered
        )
    for name, pattern in v.CLAIMANTS:
        if pattern.search(lowered):
            return name
    match = v.CLAIMANT_PHRASE.search(sentence)
    if match:
        said = next(value for value in match.groupdict().values() if value)
        return " ".join(said.split()[:6]).strip()
    return ""


def _finish(proposal, context, language, published_on, url, publisher, title):
    if proposal.started_at.value is None:
        if context.first_window:
            window, evidence = context.first_window
            context._set_window(proposal, window, evidence)
        elif published_on:
            window = Window(published_on, None)
            proposal.started_at.set(window.started_at(), None)
            proposal.time_precision.set(Incident.Precision.DAY, None)
            proposal.warnings.append(
                _("The text names no date: the publication date is proposed.")
            )
        else:
            proposal.warnings.append(_("The text names no date: give the start."))
    if proposal.target_country.value is None:
        proposal.warnings.append(_("The target country is not named: choose it."))
    if proposal.attribution.value is None:
        known = proposal.attacker.value != Country.UNKNOWN
        proposal.attribution.set(
            Incident.Attribution.ATTRIBUTED
            if known
            else Incident.Attribution.UNCLAIMED,
            None,
        )
    _fill_totals(proposal)
    places = [p.location for p in proposal.places]
    region = next((p.name for p in places if p.kind == Location.Kind.REGION), None)
    region = region or next((p.region for p in places if p.region), "")
    evidence = next(
        (
            p.evidence
            for p in proposal.places
            if region in (p.location.name, p.location.region)
        ),
        None,
    )
    proposal.region.set(region, evidence if region else None)
    # A region named alongside places inside it adds nothing.
    proposal.places = [
        p
        for p in proposal.places
        if p.location.kind != Location.Kind.REGION
        or not any(
            q.location.region == p.location.name and q is not p for q in proposal.places
        )
    ]
    proposal.summary = " ".join(proposal.sentences)[:2000]
    # A figure with no claimant of its own is told by the same voice as the
    # figure before it ("62 de ces aéronefs" after "selon Zelensky").
    named = [f.claimant for f in proposal.figures if f.claimant]
    previous = named[0] if named else ""
    for figure in proposal.figures:
        figure.claimant = figure.claimant or previous
        previous = figure.claimant
    by_claimant = {}
    for figure in proposal.figures:
        by_claimant.setdefault(figure.claimant or publisher, []).append(figure.evidence)
    for claimant, sentences in by_claimant.items():
        claim = " ".join(dict.fromkeys(sentences))
        proposal.sources.append(
            SourceProposal(
                claimant=claimant,
                claim=claim,
                url=url,
                publisher=publisher,
                title=title[:300],
                language=language,
                published_on=published_on,
            )
        )
        if not claimant:
            proposal.warnings.append(_("No claimant found for: “%s”") % claim)
    lines = [
        WeaponLine(weapon=x.weapon, launched=x.launched, intercepted=x.intercepted)
        for x in proposal.weapon_lines
    ]
    for message in proposal.incident().check_totals(lines).values():
        proposal.warnings.append(str(message))


def _fill_totals(proposal):
    """Totals from the weapon lines when the text gives none."""
    drone_lines = [x for x in proposal.weapon_lines if x.weapon.is_drone]
    if not drone_lines:
        return
    for kind, total in (
        (LAUNCHED, proposal.drones_launched),
        (INTERCEPTED, proposal.drones_intercepted),
    ):
        values = [getattr(x, kind) for x in drone_lines]
        if total.value is None and values and None not in values:
            total.set(
                sum(values), " ".join(dict.fromkeys(x.evidence for x in drone_lines))
            )
