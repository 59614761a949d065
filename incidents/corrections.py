"""Corrections: the history of published incidents, as readers see it.

Each change made to an incident after its first publication becomes one
Correction per field (date, field, old -> new, reason, who); a retraction is
its own entry carrying the public retraction reason. Built from the
django-simple-history records of incidents and of their places, weapon lines
and sources. Public lists only show incidents that are public now.
"""

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

from django.db.models import F, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.models import (
    Incident,
    IncidentLocation,
    Location,
    Source,
    WeaponLine,
    WeaponModel,
)

CORRECTION = "correction"
RETRACTION = "retraction"
WITHDRAWAL = "withdrawal"

# Incident fields readers see; bookkeeping fields are not corrections.
_INCIDENT_FIELDS = [
    "started_at",
    "ended_at",
    "time_precision",
    "attacker",
    "target_country",
    "attribution",
    "drones_launched",
    "drones_intercepted",
    "summary",
]
_PART_FIELDS = {
    Source: ["url", "publisher", "title", "language", "published_on", "claimant"]
    + ["claim"],
    WeaponLine: ["weapon_id", "launched", "intercepted"],
    IncidentLocation: ["location_id", "role"],
}


@dataclass(frozen=True)
class Correction:
    public_id: str
    date: dt.datetime
    kind: str
    field: str
    old: str
    new: str
    reason: str
    who: str

    def as_dict(self, *, with_who=False):
        data = {
            "incident": self.public_id,
            "date": self.date.isoformat(),
            "kind": self.kind,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "reason": self.reason,
        }
        if with_who:
            data["who"] = self.who
        return data


def _show(model, field_name, value, names):
    """A value as readers read it: choice labels, local times, names."""
    if value is None or value == "":
        return "—"
    if field_name == "weapon_id":
        return names["weapons"].get(value, str(value))
    if field_name == "location_id":
        return names["locations"].get(value, str(value))
    field = model._meta.get_field(field_name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _label(model, field_name):
    name = field_name.removesuffix("_id")
    return str(model._meta.get_field(name).verbose_name)


def _who(record):
    user = record.history_user
    return user.get_username() if user is not None else ""


def _part_name(model, record, names):
    if model is Source:
        return record.title or record.publisher or record.url
    if model is WeaponLine:
        return names["weapons"].get(record.weapon_id, "?")
    place = names["locations"].get(record.location_id, "?")
    return f"{place} ({IncidentLocation.Role(record.role).label})"


def _load_names(part_records):
    weapon_ids = {r.weapon_id for r in part_records.get(WeaponLine, [])}
    location_ids = {r.location_id for r in part_records.get(IncidentLocation, [])}
    return {
        "weapons": dict(
            WeaponModel.objects.filter(pk__in=weapon_ids).values_list("pk", "name")
        ),
        "locations": dict(
            Location.objects.filter(pk__in=location_ids).values_list("pk", "name")
        ),
    }


def corrections_for_incidents(incident_ids, *, public=True):
    """Corrections of the given incidents (ids), oldest first.

    public=True: only incidents public now, only changes after the first
    publication. public=False (staff): every change since creation.
    Runs five queries whatever the number of incidents.
    """
    incidents = Incident.objects.filter(pk__in=list(incident_ids))
    if public:
        incidents = incidents.public()
    public_ids = dict(incidents.values_list("pk", "public_id"))
    if not public_ids:
        return []
    records = (
        Incident.history.filter(id__in=public_ids)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    part_records = {
        model: list(
            model.history.filter(incident_id__in=public_ids)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        for model in _PART_FIELDS
    }
    names = _load_names(part_records)
    result = []
    thresholds = {}
    for pk, group in groupby(records, key=lambda r: r.id):
        group = list(group)
        start = 0
        if public:
            start = next(
                (
                    i
                    for i, r in enumerate(group)
                    if r.status in Incident.PUBLIC_STATUSES
                ),
                None,
            )
            if start is None:
                continue
            # Created as published (imports, fixtures): rows written with it
            # without a reason are part of the first publication.
            thresholds[pk] = (group[start].history_date, start == 0)
        result.extend(_incident_changes(public_ids[pk], group, start, public))
    for model, rows in part_records.items():
        for _pk, group in groupby(rows, key=lambda r: r.id):
            group = list(group)
            incident_id = group[0].incident_id
            if public and incident_id not in thresholds:
                continue
            result.extend(
                _part_changes(
                    model,
                    public_ids[incident_id],
                    group,
                    thresholds.get(incident_id),
                    names,
                )
            )
    result.sort(key=lambda c: c.date)
    return result


def _incident_changes(public_id, group, start, public):
    # Public: from the record after the first publication (the publishing
    # save itself is not a correction).
    for i in range(start + 1 if public else 0, len(group)):
        record, previous = group[i], group[i - 1] if i else None
        reason = record.history_change_reason or ""
        if previous is None:
            yield Correction(
                public_id,
                record.history_date,
                CORRECTION,
                _("incident"),
                "—",
                _("created"),
                reason,
                _who(record),
            )
            continue
        if (
            record.status == Incident.Status.RETRACTED
            and previous.status != Incident.Status.RETRACTED
        ):
            yield Correction(
                public_id,
                record.history_date,
                RETRACTION,
                _label(Incident, "status"),
                _show(Incident, "status", previous.status, None),
                _show(Incident, "status", record.status, None),
                record.retraction_reason,
                _who(record),
            )
        elif not public and record.status != previous.status:
            yield Correction(
                public_id,
                record.history_date,
                CORRECTION,
                _label(Incident, "status"),
                _show(Incident, "status", previous.status, None),
                _show(Incident, "status", record.status, None),
                reason,
                _who(record),
            )
        for field in _INCIDENT_FIELDS:
            old, new = getattr(previous, field), getattr(record, field)
            if old != new:
                yield Correction(
                    public_id,
                    record.history_date,
                    CORRECTION,
                    _label(Incident, field),
                    _show(Incident, field, old, None),
                    _show(Incident, field, new, None),
                    reason,
                    _who(record),
                )


def _part_changes(model, public_id, group, threshold, names):
    kind_name = str(model._meta.verbose_name)
    previous = None
    for record in group:
        counts = True
        if threshold is not None:
            since, created_published = threshold
            counts = record.history_date > since and (
                not created_published or bool(record.history_change_reason)
            )
        reason = record.history_change_reason or ""
        if counts:
            if record.history_type == "+":
                yield Correction(
                    public_id,
                    record.history_date,
                    CORRECTION,
                    _("%(part)s added") % {"part": kind_name},
                    "—",
                    _part_name(model, record, names),
                    reason,
                    _who(record),
                )
            elif record.history_type == "-":
                yield Correction(
                    public_id,
                    record.history_date,
                    CORRECTION,
                    _("%(part)s removed") % {"part": kind_name},
                    _part_name(model, record, names),
                    "—",
                    reason,
                    _who(record),
                )
            elif previous is not None:
                for field in _PART_FIELDS[model]:
                    old, new = getattr(previous, field), getattr(record, field)
                    if old != new:
                        yield Correction(
                            public_id,
                            record.history_date,
                            CORRECTION,
                            f"{kind_name}: {_label(model, field)}",
                            _show(model, field, old, names),
                            _show(model, field, new, names),
                            reason,
                            _who(record),
                        )
        previous = record


def corrections_for(incident, *, public=True):
    """Corrections of one incident, oldest first (five queries)."""
    return corrections_for_incidents([incident.pk], public=public)


def _candidates(since=None):
    """Ids of public incidents with history after first publication, newest
    change first (a superset: corrections_for_incidents does the exact cut)."""
    latest = {}
    sources = [(Incident.history, "id")] + [
        (model.history, "incident_id") for model in _PART_FIELDS
    ]
    for manager, key in sources:
        published_at = Subquery(
            Incident.objects.public()
            .filter(pk=OuterRef(key))
            .values("published_at")[:1]
        )
        rows = manager.annotate(
            incident_key=F(key), first_published=published_at
        ).filter(first_published__isnull=False, history_date__gt=F("first_published"))
        if since is not None:
            rows = rows.filter(history_date__gt=since)
        for pk, when in (
            rows.values("incident_key")
            .annotate(latest=Max("history_date"))
            .values_list("incident_key", "latest")
        ):
            latest[pk] = max(when, latest.get(pk, when))
    return sorted(latest, key=latest.get, reverse=True)


def recent_corrections(limit=50, since=None):
    """The newest public corrections and retractions, newest first."""
    ids = _candidates(since)
    found = []
    # Batches of incidents, newest change first, until `limit` entries.
    for start in range(0, min(len(ids), limit * 10), limit):
        batch = corrections_for_incidents(ids[start : start + limit])
        found.extend(c for c in batch if since is None or c.date > since)
        if len(found) >= limit:
            break
    found.sort(key=lambda c: c.date, reverse=True)
    return found[:limit]


def withdrawals_since(since):
    """Incidents taken off the public record (unpublished) after `since`.

    Syncing clients need these to drop their copy; only ids and dates leave.
    """
    rows = (
        Incident.history.filter(history_date__gt=since, published_at__isnull=False)
        .exclude(status__in=Incident.PUBLIC_STATUSES)
        .order_by("id", "history_date")
    )
    result = []
    for record in rows:
        previous = record.prev_record
        if previous is not None and previous.status in Incident.PUBLIC_STATUSES:
            result.append(
                Correction(
                    record.public_id,
                    record.history_date,
                    WITHDRAWAL,
                    _label(Incident, "status"),
                    "",
                    "",
                    "",
                    "",
                )
            )
    return result


def corrections_context(incident):
    """Template context for templates/incidents/corrections.html on a detail
    page: {% include "incidents/corrections.html" %} after adding this."""
    entries = corrections_for(incident) if incident.is_public else []
    return {
        "corrections": [c for c in entries if c.kind == CORRECTION],
        "retraction": next((c for c in entries if c.kind == RETRACTION), None),
    }


def changes_since(since, limit=500):
    """Corrections, retractions and withdrawals after `since`, oldest first.

    Returns (entries, has_more); a client syncs by asking again from the last
    entry's date while has_more.
    """
    ids = _candidates(since)
    found = []
    for start in range(0, len(ids), 200):
        batch = corrections_for_incidents(ids[start : start + 200])
        found.extend(c for c in batch if c.date > since)
    found.extend(withdrawals_since(since))
    found.sort(key=lambda c: c.date)
    return found[:limit], len(found) > limit
