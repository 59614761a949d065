"""Import the "Massive Missile Attacks on Ukraine" CSV (Ukrainian Air Force data).

A row of that dataset is one weapon model in one attack window; every row of
one window and source post becomes one incident (attacker Russia, target
Ukraine) with one weapon line per model. The file's newest-first order is not
strict, so rows of one window need not be consecutive.

How the file is read, with memory bounded by the batch size, not the file:

1. First pass: a csv reader streams the open file once. Each row is checked
   (dates, counts, columns) and either reported with its line number or
   written to one of several temporary bucket files chosen by a stable hash of
   its window key (time_start, time_end, source). All rows of one window land
   in the same bucket, and a bucket holds about `batch_size` rows.
2. Second pass: one bucket at a time is read back, grouped by window and
   written in one transaction (`--dry-run` rolls each one back).

Every row is checked before anything is written, so `--strict` can refuse the
whole file; in strict mode the batches also share one outer transaction.

Idempotence: each incident carries `import_key` (its window and post). A
re-import compares what the file says with what the database holds and only
writes differences. The importer owns, on incidents it created, the window,
the sides, the drone totals, the weapon lines and its own source (found by
URL); it adds missing launch-site and target places but removes none, and it
leaves summaries, status, other sources and incidents entered by hand
(`import_key` NULL) alone.
"""

import csv
import datetime as dt
import hashlib
import math
import os
import re
import tempfile
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import DatabaseError, transaction
from django.utils import timezone
from tqdm import tqdm

from incidents import names
from incidents.cache import bump_record_version
from incidents.gazetteer import catalogue, guess_category
from incidents.models import (
    Country,
    Incident,
    IncidentLocation,
    Location,
    Source,
    WeaponLine,
    WeaponModel,
)

KYIV = ZoneInfo("Europe/Kyiv")
# The dataset's `source` is a path on the Facebook page of the reporting
# command ("kpszsu/posts/pfbid..."); this is the host those paths belong to.
POST_URL_BASE = "https://www.facebook.com/"
DATASET_CREDIT = (
    "via the dataset “Massive Missile Attacks on Ukraine” by Petro Ivaniuk "
    "(CC BY-NC-SA 4.0)"
)
REQUIRED_COLUMNS = (
    "time_start",
    "time_end",
    "model",
    "launch_place",
    "target",
    "target_main",
    "launched",
    "destroyed",
    "affected region",
    "source",
)
# Pages that are not the Air Force's own; every other page is.
CLAIMANTS = {
    "generalstaff.ua": "General Staff of the Armed Forces of Ukraine",
    "cincafu": "Commander-in-Chief of the Armed Forces of Ukraine",
    "chiefukrdiu": "Defence Intelligence of Ukraine",
    "war_monitor": "monitor (Telegram channel)",
    "kharkivoda.gov.ua": "Kharkiv Regional Military Administration",
}
DEFAULT_CLAIMANT = "Ukrainian Air Force"
AVERAGE_ROW_BYTES = 220
MAX_BUCKETS = 256
MAX_KEY_LENGTH = 255

_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATETIME = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$"
)
_QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"")
_PARENS = re.compile(r"\([^)]*\)")
_QUALIFIERS = [
    re.compile(r"^(?:(?:eastern|western|northern|southern)\s+)?coast\s+of\s+", re.I),
    re.compile(r"\s+direction$", re.I),
    re.compile(r"^and\s+", re.I),
]
_SUB_REGION = re.compile(r"\b(raion|rayon|district|hromada)\b", re.I)
_REGION_WORD = re.compile(r"\b(oblast|obl|region|krai|kray)\b", re.I)


class RowError(ValueError):
    """A row that cannot be read; the message says why."""


class FileError(ValueError):
    """A file that cannot be read at all (no header, not UTF-8 text ...)."""


@dataclass
class Rejected:
    line: int
    reason: str

    def __str__(self):
        return f"line {self.line}: {self.reason}"


@dataclass
class ImportReport:
    path: str = ""
    dry_run: bool = False
    strict: bool = False
    rows_read: int = 0
    rejected: list = field(default_factory=list)
    incidents: Counter = field(default_factory=Counter)
    rows: Counter = field(default_factory=Counter)
    weapons_created: list = field(default_factory=list)
    unmatched_places: Counter = field(default_factory=Counter)
    fatal: str = ""
    aborted: bool = False
    seconds: float = 0.0

    @property
    def ok(self):
        return not self.fatal and not self.aborted

    @property
    def written(self):
        return self.ok and not self.dry_run

    def lines(self, max_rejected=200, max_places=30):
        """The summary as text lines, for the command and the admin."""
        out = []
        if self.fatal:
            out.append(f"Cannot import {self.path}: {self.fatal}")
            out.append("Nothing was written.")
            return out
        out.append(f"Rows read: {self.rows_read}; rejected: {len(self.rejected)}.")
        verb = "would be " if self.dry_run else ""
        inc, rows = self.incidents, self.rows
        out.append(
            f"Incidents {verb}created: {inc['created']}, {verb}updated: "
            f"{inc['updated']}, unchanged: {inc['unchanged']} "
            f"(rows: {rows['created']} created, {rows['updated']} updated, "
            f"{rows['unchanged']} unchanged)."
        )
        if self.weapons_created:
            out.append(
                f"Weapon models {verb}added: " + ", ".join(self.weapons_created) + "."
            )
        if self.unmatched_places:
            shown = self.unmatched_places.most_common(max_places)
            text = "; ".join(
                f"{role} “{place}” ({n} incident{'s' if n > 1 else ''})"
                for (role, place), n in shown
            )
            more = len(self.unmatched_places) - len(shown)
            out.append(
                "Places not found in the gazetteer (left out): "
                + text
                + (f"; and {more} more" if more > 0 else "")
                + "."
            )
        for rejected in self.rejected[:max_rejected]:
            out.append(f"Rejected {rejected}")
        if len(self.rejected) > max_rejected:
            out.append(f"... and {len(self.rejected) - max_rejected} more rejected.")
        if self.seconds:
            out.append(f"Time: {self.seconds:.1f} s.")
        if self.aborted:
            out.append("Strict mode: the file has bad rows, so nothing was written.")
        elif self.dry_run:
            out.append("Dry run: nothing was written.")
        return out


# --- parsing -----------------------------------------------------------------


def parse_when(text, column):
    """(naive datetime, normalised text, date_only) for a time_start/time_end cell."""
    value = (text or "").strip()
    if not value:
        raise RowError(f"{column} is blank")
    try:
        if m := _DATETIME.match(value):
            y, mo, d, h, mi, s = (int(g or 0) for g in m.groups())
            when = dt.datetime(y, mo, d, h, mi, s)
            return when, when.strftime("%Y-%m-%d %H:%M"), False
        if m := _DATE.match(value):
            when = dt.datetime(*(int(g) for g in m.groups()))
            return when, when.strftime("%Y-%m-%d"), True
    except ValueError:
        pass
    raise RowError(f"{column} “{value}” is not a date (YYYY-MM-DD or YYYY-MM-DD HH:MM)")


def parse_count(text, column):
    """A non-negative whole number written as "145" or "145.0"; None when blank."""
    value = (text or "").strip()
    if not value or value.lower() == "nan":
        return None
    try:
        number = float(value)
    except ValueError:
        raise RowError(f"{column} “{value}” is not a number") from None
    if not math.isfinite(number) or number != int(number):
        raise RowError(f"{column} “{value}” is not a whole number")
    if number < 0:
        raise RowError(f"{column} “{value}” is negative")
    if number > 2_000_000_000:
        raise RowError(f"{column} “{value}” is too large")
    return int(number)


def quoted_items(text):
    """The strings in a list-like cell "['Kyiv oblast', 'Odesa oblast']"."""
    value = (text or "").strip()
    if not value:
        return []
    found = [a or b for a, b in _QUOTED.findall(value)]
    if found or value.startswith("["):
        return [item for item in found if item.strip()]
    return [value]


@dataclass
class Row:
    line: int
    start: str
    end: str
    model: str
    launched: int | None
    destroyed: int | None
    launch_place: str
    targets: list
    source: str

    @property
    def key(self):
        return window_key(self.start, self.end, self.source)


def window_key(start, end, source):
    key = f"{start}|{end}|{source}"
    if len(key) > MAX_KEY_LENGTH:
        key = "sha1:" + hashlib.sha1(key.encode()).hexdigest()
    return key


def parse_row(cells, header_index, line):
    """A checked Row from raw cells, or RowError."""
    if len(cells) != len(header_index["_columns"]):
        raise RowError(
            f"expected {len(header_index['_columns'])} fields, found {len(cells)}"
        )

    def cell(name):
        return cells[header_index[name]]

    start, start_text, start_date_only = parse_when(cell("time_start"), "time_start")
    end, end_text, end_date_only = parse_when(cell("time_end"), "time_end")
    if not (start_date_only or end_date_only) and end < start:
        raise RowError(f"time_end {end_text} is before time_start {start_text}")
    if end.date() < start.date():
        raise RowError(f"time_end {end_text} is before time_start {start_text}")
    model = cell("model").strip()
    if not model:
        raise RowError("model is blank")
    if len(model) > 120:
        raise RowError("model is longer than 120 characters")
    source = cell("source").strip()
    if not source:
        raise RowError("source is blank")
    if len(source) > 400:
        raise RowError("source is longer than 400 characters")
    launched = parse_count(cell("launched"), "launched")
    destroyed = parse_count(cell("destroyed"), "destroyed")
    if launched is not None and destroyed is not None and destroyed > launched:
        raise RowError(f"destroyed ({destroyed}) exceeds launched ({launched})")
    targets = [
        cell("target"),
        cell("target_main"),
        *quoted_items(cell("affected region")),
    ]
    return Row(
        line=line,
        start=start_text,
        end=end_text,
        model=model,
        launched=launched,
        destroyed=destroyed,
        launch_place=cell("launch_place").strip(),
        targets=[t.strip() for t in targets if t and t.strip()],
        source=source,
    )


def _row_to_cells(row):
    return [
        row.line,
        row.start,
        row.end,
        row.model,
        "" if row.launched is None else row.launched,
        "" if row.destroyed is None else row.destroyed,
        row.launch_place,
        "\x1f".join(row.targets),
        row.source,
    ]


def _row_from_cells(cells):
    line, start, end, model, launched, destroyed, launch, targets, source = cells
    return Row(
        line=int(line),
        start=start,
        end=end,
        model=model,
        launched=int(launched) if launched else None,
        destroyed=int(destroyed) if destroyed else None,
        launch_place=launch,
        targets=targets.split("\x1f") if targets else [],
        source=source,
    )


def aware(text):
    """Kyiv local time for a normalised time_start/time_end text."""
    fmt = "%Y-%m-%d %H:%M" if " " in text else "%Y-%m-%d"
    return dt.datetime.strptime(text, fmt).replace(tzinfo=KYIV)


def source_url(path):
    """An absolute URL for the dataset's `source` cell."""
    if re.match(r"^https?://", path, re.I):
        return path
    first = path.split("/", 1)[0]
    if first.count(".") >= 2:  # a web site of its own, e.g. kharkivoda.gov.ua
        return "https://" + path
    return POST_URL_BASE + path.lstrip("/")


def page_of(path):
    """The page or channel a source belongs to ("kpszsu", "PvKPivden" ...)."""
    if m := re.match(r"^https?://t\.me/([^/]+)", path, re.I):
        return m.group(1)
    if re.match(r"^https?://", path, re.I):
        return ""
    first = path.split("/", 1)[0]
    return "" if first in ("watch", "") else first


def claimant_for(path):
    return CLAIMANTS.get(page_of(path).lower(), DEFAULT_CLAIMANT)


# --- places ------------------------------------------------------------------


class PlaceResolver:
    """Finds the gazetteer place for a place name of the dataset.

    Stricter than Location.objects.matching (a search): the whole name must
    match a name or alternate name, exactly once folded, or by its loose key.
    Loads every Location once (the gazetteer is a few hundred rows).
    """

    def __init__(self):
        self.places = {}
        self.stages = [defaultdict(list) for _ in range(4)]
        for loc in Location.objects.order_by("pk"):
            self.places[loc.pk] = loc
            self._index(0, 2, loc.name, loc)
            for alt in loc.alternate_names:
                self._index(1, 3, alt, loc)
        self._cache = {}

    def _index(self, exact_stage, key_stage, name, loc):
        folded, key = names.fold(name), names.loose_key(name)
        if folded and loc not in self.stages[exact_stage][folded]:
            self.stages[exact_stage][folded].append(loc)
        if key and loc not in self.stages[key_stage][key]:
            self.stages[key_stage][key].append(loc)

    def resolve(self, text, role):
        cache_key = (text, role)
        if cache_key not in self._cache:
            self._cache[cache_key] = self._resolve(text, role)
        return self._cache[cache_key]

    def _resolve(self, text, role):
        text = _PARENS.sub(" ", text).strip()
        for pattern in _QUALIFIERS:
            text = pattern.sub("", text).strip()
        if not text or _SUB_REGION.search(text):
            return None
        wants_region = bool(_REGION_WORD.search(text))
        folded, key = names.fold(text), names.loose_key(text)
        for stage, lookup in enumerate((folded, folded, key, key)):
            candidates = [
                loc
                for loc in self.stages[stage].get(lookup, [])
                if not (
                    role == IncidentLocation.Role.LAUNCH
                    and loc.kind == Location.Kind.MACRO_REGION
                )
            ]
            if candidates:
                candidates.sort(
                    key=lambda loc: (loc.kind == Location.Kind.REGION) != wants_region
                )
                return candidates[0]
        return None

    def places_in(self, text, role):
        """(locations, unmatched texts) for a cell such as
        "Primorsko-Akhtarsk and Chauda, Crimea and Kursk oblast"."""
        found, unmatched = [], []
        for piece in re.split(r"\s+and\s+|;", text or ""):
            parts = [p.strip() for p in piece.split(",") if p.strip()]
            matched = []
            for part in parts:
                loc = self.resolve(part, role)
                if loc is None:
                    unmatched.append(part)
                else:
                    matched.append(loc)
            # "Chauda, Crimea": Crimea only says where Chauda is.
            regions = {
                loc.region for loc in matched if loc.kind != Location.Kind.REGION
            }
            for loc in matched:
                if not (
                    loc.kind == Location.Kind.REGION
                    and loc.name in regions
                    and len(matched) > 1
                ):
                    found.append(loc)
        return found, unmatched


# --- writing -----------------------------------------------------------------


@dataclass
class Planned:
    """What the file says about one incident."""

    key: str
    rows: list
    started_at: dt.datetime
    ended_at: dt.datetime
    precision: str
    lines: dict  # weapon name -> (launched, intercepted)
    places: set  # (location id, role)
    source: dict


def _add(a, b):
    return None if a is None or b is None else a + b


class Importer:
    def __init__(self, *, strict, dry_run, batch_size, status, user, progress):
        self.strict = strict
        self.dry_run = dry_run
        self.batch_size = max(1, int(batch_size))
        self.status = status
        self.user = user
        self.progress = progress
        self.report = ImportReport(dry_run=dry_run, strict=strict)
        self.resolver = None
        self.weapons = {}

    # First pass ---------------------------------------------------------------

    def split(self, path, workdir):
        """Check every row and spread the good ones over bucket files."""
        size = os.path.getsize(path)
        buckets = max(
            1, min(MAX_BUCKETS, math.ceil(size / (self.batch_size * AVERAGE_ROW_BYTES)))
        )
        files = [
            open(Path(workdir) / f"bucket{i}.csv", "w", newline="", encoding="utf-8")  # noqa: SIM115
            for i in range(buckets)
        ]
        writers = [csv.writer(f) for f in files]
        counts = [0] * buckets
        try:
            with open(path, newline="", encoding="utf-8-sig") as f:
                reader = csv.reader(f)
                header = self._header(reader)
                bar = tqdm(
                    desc="Checking rows",
                    unit=" rows",
                    disable=self._bar_disabled(),
                    leave=False,
                )
                line = reader.line_num + 1
                while True:
                    try:
                        cells = next(reader)
                    except StopIteration:
                        break
                    except csv.Error as exc:
                        self.report.rows_read += 1
                        self.report.rejected.append(
                            Rejected(line, f"unreadable: {exc}")
                        )
                        line = reader.line_num + 1
                        continue
                    row_line, line = line, reader.line_num + 1
                    if not any(c.strip() for c in cells):
                        continue  # blank line
                    self.report.rows_read += 1
                    bar.update(1)
                    try:
                        row = parse_row(cells, header, row_line)
                    except RowError as exc:
                        self.report.rejected.append(Rejected(row_line, str(exc)))
                        continue
                    index = zlib.crc32(row.key.encode()) % buckets
                    writers[index].writerow(_row_to_cells(row))
                    counts[index] += 1
                bar.close()
        except UnicodeDecodeError as exc:
            raise FileError(
                f"the file is not UTF-8 text (bad byte at offset {exc.start})"
            ) from None
        finally:
            for f in files:
                f.close()
        return [(f.name, n) for f, n in zip(files, counts, strict=True) if n]

    def _header(self, reader):
        try:
            header = next(reader)
        except StopIteration:
            raise FileError("the file is empty") from None
        except csv.Error as exc:
            raise FileError(f"line 1: unreadable header: {exc}") from None
        columns = [c.strip() for c in header]
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise FileError(
                "line 1: missing column(s): "
                + ", ".join(missing)
                + " (expected the dataset's header: "
                + ", ".join(REQUIRED_COLUMNS)
                + ", ...)"
            )
        index = {name: columns.index(name) for name in REQUIRED_COLUMNS}
        index["_columns"] = columns
        return index

    def _bar_disabled(self):
        return None if self.progress is None else not self.progress

    # Second pass --------------------------------------------------------------

    def write(self, buckets):
        self.resolver = PlaceResolver()
        self.weapons = {w.name: w for w in WeaponModel.objects.all()}
        self.catalogue = catalogue()
        total = sum(n for _, n in buckets)
        bar = tqdm(
            total=total,
            desc="Importing",
            unit=" rows",
            disable=self._bar_disabled(),
        )
        for path, _ in buckets:
            with open(path, newline="", encoding="utf-8") as f:
                rows = [_row_from_cells(cells) for cells in csv.reader(f)]
            groups = defaultdict(list)
            for row in rows:
                groups[row.key].append(row)
            self._write_batch(groups)
            bar.update(len(rows))
        bar.close()

    def _write_batch(self, groups):
        new_weapons = []
        outcome = Counter()
        row_outcome = Counter()
        try:
            with transaction.atomic():
                plans = [
                    self._plan(key, rows, new_weapons) for key, rows in groups.items()
                ]
                plans.sort(key=lambda p: (p.started_at, p.key))
                self._apply(plans, outcome, row_outcome)
                if self.dry_run:
                    transaction.set_rollback(True)
        except DatabaseError as exc:
            if self.strict:
                raise
            for rows in groups.values():
                for row in rows:
                    self.report.rejected.append(
                        Rejected(row.line, f"the database refused this window: {exc}")
                    )
            outcome, row_outcome = Counter(), Counter()
        finally:
            if self.dry_run or outcome.total() == 0:
                for weapon in new_weapons:
                    self.weapons.pop(weapon.name, None)
        self.report.incidents.update(outcome)
        self.report.rows.update(row_outcome)
        for weapon in new_weapons:
            if weapon.name not in self.report.weapons_created:
                self.report.weapons_created.append(weapon.name)

    def _weapon(self, name, new_weapons):
        weapon = self.weapons.get(name)
        if weapon is None:
            category, origin = self.catalogue.get(name, (guess_category(name), ""))
            weapon = WeaponModel.objects.create(
                name=name, category=category, national_origin=origin
            )
            self.weapons[name] = weapon
            new_weapons.append(weapon)
        return weapon

    def _plan(self, key, rows, new_weapons):
        first = rows[0]
        started_at, ended_at = aware(first.start), aware(first.end)
        date_only = " " not in first.start or " " not in first.end
        if ended_at < started_at:  # a date-only end on the day of a timed start
            ended_at = started_at
        lines = {}
        for row in rows:
            self._weapon(row.model, new_weapons)
            if row.model in lines:
                launched, intercepted = lines[row.model]
                lines[row.model] = (
                    _add(launched, row.launched),
                    _add(intercepted, row.destroyed),
                )
            else:
                lines[row.model] = (row.launched, row.destroyed)
        places = set()
        unmatched = set()
        roles = [(IncidentLocation.Role.LAUNCH, row.launch_place) for row in rows]
        roles += [
            (IncidentLocation.Role.TARGET, target)
            for row in rows
            for target in row.targets
        ]
        for role, text in roles:
            found, missing = self.resolver.places_in(text, role)
            places.update((loc.pk, role) for loc in found)
            unmatched.update((str(role.label), m) for m in missing)
        self.report.unmatched_places.update(unmatched)
        claimant, page = claimant_for(first.source), page_of(first.source)
        return Planned(
            key=key,
            rows=rows,
            started_at=started_at,
            ended_at=ended_at,
            precision=Incident.Precision.DAY
            if date_only
            else Incident.Precision.MINUTE,
            lines=lines,
            places=places,
            source={
                "url": source_url(first.source),
                "claimant": claimant,
                "publisher": f"{claimant} ({page})" if page else claimant,
                "title": f"Report {DATASET_CREDIT}",
                "language": "uk",
            },
        )

    def _totals(self, plan):
        drone = [
            value for name, value in plan.lines.items() if self.weapons[name].is_drone
        ]
        if not drone:
            return None, None
        launched = [v[0] for v in drone]
        intercepted = [v[1] for v in drone]
        return (
            None if None in launched else sum(launched),
            None if None in intercepted else sum(intercepted),
        )

    def _apply(self, plans, outcome, row_outcome):
        existing = {
            incident.import_key: incident
            for incident in Incident.objects.filter(
                import_key__in=[p.key for p in plans]
            ).prefetch_related("weapon_lines__weapon", "incident_locations", "sources")
        }
        to_create = []
        for plan in plans:
            incident = existing.get(plan.key)
            if incident is None:
                to_create.append(plan)
                result = "created"
            else:
                result = "updated" if self._update(incident, plan) else "unchanged"
            outcome[result] += 1
            row_outcome[result] += len(plan.rows)
        if to_create:
            self._create(to_create)

    def _incident_fields(self, plan):
        launched, intercepted = self._totals(plan)
        return {
            "started_at": plan.started_at,
            "ended_at": plan.ended_at,
            "time_precision": plan.precision,
            "attacker": Country.RUSSIA,
            "target_country": Country.UKRAINE,
            "drones_launched": launched,
            "drones_intercepted": intercepted,
        }

    def _create(self, plans):
        now = timezone.now()
        incidents = []
        for plan in plans:
            incident = Incident(
                import_key=plan.key,
                attribution=Incident.Attribution.ATTRIBUTED,
                status=self.status,
                summary="Attack reported by the Ukrainian Air Force.",
                created_by=self.user,
                updated_by=self.user,
                published_at=now if self.status == Incident.Status.PUBLISHED else None,
                **self._incident_fields(plan),
            )
            incidents.append(incident)
        taken = set(
            Incident.objects.filter(
                public_id__in=[i.public_id for i in incidents]
            ).values_list("public_id", flat=True)
        )
        for incident in incidents:
            while incident.public_id in taken:
                incident.public_id = Incident().public_id
            taken.add(incident.public_id)
        Incident.objects.bulk_create(incidents)
        if any(i.pk is None for i in incidents):
            ids = dict(
                Incident.objects.filter(
                    import_key__in=[p.key for p in plans]
                ).values_list("import_key", "pk")
            )
            for incident in incidents:
                incident.pk = ids[incident.import_key]
        lines, places, sources = [], [], []
        for incident, plan in zip(incidents, plans, strict=True):
            lines += [
                WeaponLine(
                    incident=incident,
                    weapon=self.weapons[name],
                    launched=launched,
                    intercepted=intercepted,
                )
                for name, (launched, intercepted) in plan.lines.items()
            ]
            places += [
                IncidentLocation(incident=incident, location_id=loc_id, role=role)
                for loc_id, role in plan.places
            ]
            sources.append(Source(incident=incident, **plan.source))
        WeaponLine.objects.bulk_create(lines)
        IncidentLocation.objects.bulk_create(places)
        Source.objects.bulk_create(sources)
        # bulk_create sends no post_save: tell the public cache here.
        bump_record_version()

    def _update(self, incident, plan):
        """Bring one imported incident in line with the file; True if it changed."""
        changed = False
        fields = self._incident_fields(plan)
        dirty = [
            name for name, value in fields.items() if getattr(incident, name) != value
        ]
        for name in dirty:
            setattr(incident, name, fields[name])

        have = {line.weapon.name: line for line in incident.weapon_lines.all()}
        for name, line in have.items():
            if name not in plan.lines:
                line.delete()
                changed = True
        for name, (launched, intercepted) in plan.lines.items():
            line = have.get(name)
            if line is None:
                WeaponLine.objects.create(
                    incident=incident,
                    weapon=self.weapons[name],
                    launched=launched,
                    intercepted=intercepted,
                )
                changed = True
            elif (line.launched, line.intercepted) != (launched, intercepted):
                line.launched, line.intercepted = launched, intercepted
                line.save(update_fields=["launched", "intercepted"])
                changed = True

        have_places = {
            (link.location_id, link.role) for link in incident.incident_locations.all()
        }
        missing = plan.places - have_places
        if missing:
            IncidentLocation.objects.bulk_create(
                IncidentLocation(incident=incident, location_id=loc_id, role=role)
                for loc_id, role in missing
            )
            changed = True

        source = next(
            (s for s in incident.sources.all() if s.url == plan.source["url"]), None
        )
        if source is None:
            Source.objects.create(incident=incident, **plan.source)
            changed = True
        else:
            stale = [k for k, v in plan.source.items() if getattr(source, k) != v]
            if stale:
                for k in stale:
                    setattr(source, k, plan.source[k])
                source.save(update_fields=stale)
                changed = True

        if dirty or changed:
            incident.updated_by = self.user
            incident.save(update_fields=[*dirty, "updated_by", "updated_at"])
            return True
        return False


def import_attacks(
    path,
    *,
    strict=False,
    dry_run=False,
    batch_size=500,
    status=Incident.Status.PUBLISHED,
    user=None,
    progress=None,
):
    """Import a CSV file of the dataset; returns an ImportReport.

    `progress`: None shows a bar only on a terminal, False never. Never raises
    for bad input: file-level problems are `report.fatal`, bad rows are
    `report.rejected` (and, with `strict`, `report.aborted`).
    """
    started = timezone.now()
    importer = Importer(
        strict=strict,
        dry_run=dry_run,
        batch_size=batch_size,
        status=status,
        user=user,
        progress=progress,
    )
    report = importer.report
    report.path = str(path)
    with tempfile.TemporaryDirectory(prefix="import-attacks-") as workdir:
        try:
            buckets = importer.split(path, workdir)
        except FileError as exc:
            report.fatal = str(exc)
            return report
        except OSError as exc:
            report.fatal = f"cannot read the file ({exc.strerror or exc})"
            return report
        if strict and report.rejected:
            report.aborted = True
        else:
            try:
                if strict:
                    with transaction.atomic():
                        importer.write(buckets)
                else:
                    importer.write(buckets)
            except DatabaseError as exc:
                report.aborted = True
                report.rejected.append(
                    Rejected(0, f"the database refused the import: {exc}")
                )
                report.incidents.clear()
                report.rows.clear()
    report.seconds = (timezone.now() - started).total_seconds()
    return report
