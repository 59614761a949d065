"""JSON shapes of the API. Field names are a public contract: add, never rename.

Writes are validated exactly as in the admin: the model's `full_clean()`
(field rules, `clean()`, named constraints) runs on the incident and on every
nested row before anything is written, and its messages come back per field.
"""

import copy
import datetime as dt

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.settings import api_settings

from incidents import stats
from incidents.models import (
    Country,
    Incident,
    IncidentLocation,
    Location,
    Source,
    StaleVersionError,
    WeaponLine,
    WeaponModel,
)

# Longest reason the history keeps (simple_history's change-reason column).
REASON_MAX_LENGTH = 100


class Conflict(APIException):
    """409: the incident was saved by someone else since the client read it."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "stale_version"

    def __init__(self, stale):
        super().__init__(str(stale.messages[0]))
        self.detail = {"detail": self.detail, "version": stale.current}


def iso_datetime(value):
    """ISO 8601 in the site's time zone, or in UTC where that zone's offset is
    not whole minutes (local mean time before 1924), which RFC 3339 forbids."""
    value = timezone.localtime(value)
    if value.utcoffset() % dt.timedelta(minutes=1):
        value = value.astimezone(dt.UTC)
    text = value.isoformat()
    return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text


class IsoDateTimeField(serializers.DateTimeField):
    def to_representation(self, value):
        return None if value is None else iso_datetime(value)


# Far outside the record's time span, and inside what every layer can store
# and convert between time zones.
_YEARS = (1900, 2999)


def _coordinate(source):
    return serializers.DecimalField(
        source=source,
        max_digits=8,
        decimal_places=5,
        coerce_to_string=False,
        allow_null=True,
        read_only=True,
    )


class _LookupField(serializers.SlugRelatedField):
    """A related row by a text key; text PostgreSQL cannot hold is refused."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or "\x00" in data:
            self.fail("invalid")
        return self._lookup(data)

    def _lookup(self, data):
        return super().to_internal_value(data)


class PlaceSerializer(serializers.ModelSerializer):
    """A place of an incident; write it as {"slug": ..., "role": ...}."""

    slug = _LookupField(
        source="location",
        slug_field="slug",
        queryset=Location.objects.all(),
        help_text=_("The place's slug, as listed by /api/v1/locations/."),
        error_messages={
            "does_not_exist": _(
                "Unknown place “{value}”: give the slug of an existing location."
            ),
            "invalid": _("Give the place's slug as text."),
        },
    )
    name = serializers.CharField(source="location.name", read_only=True)
    alternate_names = serializers.ListField(
        source="location.alternate_names", child=serializers.CharField(), read_only=True
    )
    region = serializers.CharField(source="location.region", read_only=True)
    country = serializers.ChoiceField(
        source="location.country", choices=Country.choices, read_only=True
    )
    latitude = _coordinate("location.latitude")
    longitude = _coordinate("location.longitude")
    kind = serializers.ChoiceField(
        source="location.kind", choices=Location.Kind.choices, read_only=True
    )

    class Meta:
        model = IncidentLocation
        fields = [
            "slug",
            "name",
            "alternate_names",
            "region",
            "country",
            "latitude",
            "longitude",
            "kind",
            "role",
        ]


class _WeaponField(_LookupField):
    """A weapon model by name, in any letter case."""

    def _lookup(self, data):
        weapon = self.get_queryset().filter(name__iexact=data.strip()).first()
        if weapon is None:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return weapon


class WeaponLineSerializer(serializers.ModelSerializer):
    """Launched / intercepted for one weapon model."""

    weapon = _WeaponField(
        slug_field="name",
        queryset=WeaponModel.objects.all(),
        help_text=_("Name of a known weapon model, e.g. Shahed-136/131."),
        error_messages={
            "does_not_exist": _("Unknown weapon model “{value}”."),
            "invalid": _("Give the weapon model's name as text."),
        },
    )
    category = serializers.ChoiceField(
        source="weapon.category", choices=WeaponModel.Category.choices, read_only=True
    )

    class Meta:
        model = WeaponLine
        fields = ["weapon", "category", "launched", "intercepted"]


class SourceSerializer(serializers.ModelSerializer):
    """Who claims what, and where it was published."""

    class Meta:
        model = Source
        fields = [
            "url",
            "publisher",
            "title",
            "language",
            "published_on",
            "claimant",
            "claim",
        ]


class IncidentSerializer(serializers.ModelSerializer):
    """One incident of the public record, with places, weapons and sources."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: IsoDateTimeField,
    }

    url = serializers.SerializerMethodField(help_text=_("The incident's public page."))
    interception_rate = serializers.SerializerMethodField(
        help_text=_(
            "drones_intercepted / drones_launched; null when either is unknown."
        )
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_(
            "Goes up by one on every save. On PUT/PATCH, send back the version "
            "you read: if someone saved in between, nothing is written (409)."
        ),
    )
    change_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=REASON_MAX_LENGTH,
        help_text=_(
            "Why the change is made. Required once the incident has been "
            "published; readers see it in the corrections."
        ),
    )
    places = PlaceSerializer(many=True, required=False, source="incident_locations")
    weapon_lines = WeaponLineSerializer(many=True, required=False)
    sources = SourceSerializer(many=True, required=False)

    class Meta:
        model = Incident
        fields = [
            "public_id",
            "url",
            "started_at",
            "ended_at",
            "time_precision",
            "attacker",
            "target_country",
            "attribution",
            "drones_launched",
            "drones_intercepted",
            "interception_rate",
            "summary",
            "status",
            "retraction_reason",
            "version",
            "change_reason",
            "places",
            "weapon_lines",
            "sources",
            "created_at",
            "updated_at",
            "published_at",
        ]
        # Publishing is an editor's act in the admin; API writes stay drafts.
        read_only_fields = [
            "public_id",
            "status",
            "retraction_reason",
            "created_at",
            "updated_at",
            "published_at",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_interception_rate(self, obj):
        rate = obj.interception_rate
        return None if rate is None else round(rate, 4)

    # Validation: the model's own rules, on the incident and every nested row.

    def _check_year(self, value):
        if value is not None and not _YEARS[0] <= value.year <= _YEARS[1]:
            raise serializers.ValidationError(
                _("Give a date between the years %(first)s and %(last)s.")
                % {"first": _YEARS[0], "last": _YEARS[1]}
            )
        return value

    def validate_started_at(self, value):
        return self._check_year(value)

    def validate_ended_at(self, value):
        return self._check_year(value)

    def validate(self, attrs):
        nested = {
            "incident_locations": attrs.pop("incident_locations", None),
            "weapon_lines": attrs.pop("weapon_lines", None),
            "sources": attrs.pop("sources", None),
        }
        expected_version = attrs.pop("version", None)
        if self.instance and expected_version not in (None, self.instance.version):
            raise Conflict(StaleVersionError(expected_version, self.instance.version))
        self._reason = (attrs.pop("change_reason", "") or "").strip()
        if (
            self.instance
            and self.instance.published_at is not None
            and not self._reason
        ):
            # As in the admin: a published record changes only with a reason.
            raise serializers.ValidationError(
                {
                    "change_reason": [
                        _(
                            "This incident has been published: say why you are "
                            "changing it (readers see this reason)."
                        )
                    ]
                }
            )
        incident = copy.copy(self.instance) if self.instance else Incident()
        for name, value in attrs.items():
            setattr(incident, name, value)

        errors = {}
        places = self._rows(IncidentLocation, nested["incident_locations"], errors)
        lines = self._rows(WeaponLine, nested["weapon_lines"], errors)
        sources = self._rows(Source, nested["sources"], errors)
        _flag_duplicates(places, ("location_id", "role"), "places", errors)
        _flag_duplicates(lines, ("weapon_id",), "weapon_lines", errors)
        if errors:
            raise serializers.ValidationError(errors)

        if lines is None:
            lines = (
                list(self.instance.weapon_lines.select_related("weapon"))
                if self.instance
                else []
            )
        total_errors = incident.check_totals(lines)
        if total_errors:
            raise serializers.ValidationError(
                {field: [message] for field, message in total_errors.items()}
            )
        incident.fill_totals_from(lines)
        try:
            incident.full_clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(_field_errors(exc)) from None

        self._incident = incident
        self._nested = {
            "incident_locations": places,
            "weapon_lines": lines if nested["weapon_lines"] is not None else None,
            "sources": sources,
        }
        return attrs

    def _rows(self, model, items, errors):
        """Unsaved `model` rows from nested data, each checked with full_clean.

        Errors are keyed by the row's index, as DRF reports nested field errors.
        """
        if items is None:
            return None
        rows, row_errors = [], {}
        for index, item in enumerate(items):
            row = model(**item)
            try:
                row.full_clean(exclude=["incident"])
            except DjangoValidationError as exc:
                row_errors[index] = _field_errors(exc)
            rows.append(row)
        if row_errors:
            errors[self._key(model)] = row_errors
        return rows

    @staticmethod
    def _key(model):
        return {
            IncidentLocation: "places",
            WeaponLine: "weapon_lines",
            Source: "sources",
        }[model]

    # Writes (the view wraps them in a transaction).

    def create(self, validated_data):
        return self._save(validated_data)

    def update(self, instance, validated_data):
        return self._save(validated_data)

    def _save(self, validated_data):
        incident = self._incident
        for name in ("created_by", "updated_by"):
            if name in validated_data:
                setattr(incident, name, validated_data[name])
        if incident.pk is None:
            incident.status = Incident.Status.DRAFT
        reason = getattr(self, "_reason", "") or None
        incident._change_reason = reason
        incident.save()
        for related, rows in self._nested.items():
            if rows is not None:
                _replace_rows(getattr(incident, related), incident, rows, reason)
        return Incident.objects.for_detail().get(pk=incident.pk)


def _row_values(row):
    return tuple(
        getattr(row, field.attname)
        for field in row._meta.concrete_fields
        if not field.primary_key and field.name != "incident"
    )


def _replace_rows(manager, incident, rows, reason):
    """Make the incident's rows equal `rows`, touching only those that differ.

    Each removed or added row is saved one by one so that its history (and
    the public corrections) records it with the change reason; rows left as
    they were leave no trace.
    """
    existing = list(manager.all())
    unmatched = {}
    for row in existing:
        unmatched.setdefault(_row_values(row), []).append(row)
    to_add = []
    for row in rows:
        row.incident = incident
        same = unmatched.get(_row_values(row))
        if same:
            same.pop()
        else:
            to_add.append(row)
    for leftover in unmatched.values():
        for row in leftover:
            row._change_reason = reason
            row.delete()
    for row in to_add:
        row._change_reason = reason
        row.save()


def _field_errors(exc):
    """A Django ValidationError as DRF's {field: [messages]}."""
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    result = {}
    for field, messages in exc.message_dict.items():
        key = api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field
        result.setdefault(key, []).extend(messages)
    return result


def _flag_duplicates(rows, fields, key, errors):
    if not rows:
        return
    seen, row_errors = set(), {}
    for index, row in enumerate(rows):
        value = tuple(getattr(row, field) for field in fields)
        if value in seen:
            row_errors[index] = {
                api_settings.NON_FIELD_ERRORS_KEY: [_("This row is listed twice.")]
            }
        seen.add(value)
    if row_errors:
        errors[key] = row_errors


class LocationSerializer(serializers.ModelSerializer):
    """A place, with every known spelling of its name."""

    url = serializers.SerializerMethodField(help_text=_("The place's public page."))
    latitude = serializers.DecimalField(
        max_digits=8, decimal_places=5, coerce_to_string=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=8, decimal_places=5, coerce_to_string=False, allow_null=True
    )
    incident_count = serializers.IntegerField(
        read_only=True, help_text=_("Published incidents at this place.")
    )

    class Meta:
        model = Location
        fields = [
            "slug",
            "name",
            "alternate_names",
            "region",
            "country",
            "latitude",
            "longitude",
            "kind",
            "geonameid",
            "incident_count",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


# Stats: shapes of incidents.stats results (documentation and output).


class TotalsSerializer(serializers.Serializer):
    incidents = serializers.IntegerField()
    drones_launched = serializers.IntegerField(
        help_text=_("Sum over incidents where the figure is known.")
    )
    drones_intercepted = serializers.IntegerField(
        help_text=_("Sum over incidents where the figure is known.")
    )
    interception_rate = serializers.FloatField(
        allow_null=True,
        help_text=_("Over incidents where both figures are known; null if none."),
    )


class SeriesRowSerializer(TotalsSerializer):
    period = serializers.DateField(
        help_text=_("First day of the day, week (Monday) or month, in Kyiv time.")
    )


class SideRowSerializer(TotalsSerializer):
    attacker = serializers.ChoiceField(choices=Country.choices)


class WeaponRowSerializer(serializers.Serializer):
    weapon = serializers.CharField()
    category = serializers.ChoiceField(choices=WeaponModel.Category.choices)
    incidents = serializers.IntegerField()
    launched = serializers.IntegerField()
    intercepted = serializers.IntegerField()


@extend_schema_serializer(many=False)  # one object, though served by a "list"
class StatsSerializer(serializers.Serializer):
    period = serializers.ChoiceField(choices=list(stats.PERIODS))
    totals = TotalsSerializer()
    series = SeriesRowSerializer(many=True)
    by_side = SideRowSerializer(many=True)
    by_weapon = WeaponRowSerializer(many=True)


class StatsQuerySerializer(serializers.Serializer):
    period = serializers.ChoiceField(
        choices=list(stats.PERIODS),
        default="month",
        help_text=_("Length of a step of the time series: day, week or month."),
    )


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class FeatureSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Feature"])
    geometry = serializers.DictField(help_text=_("A Point: [longitude, latitude]."))
    properties = serializers.DictField(
        help_text=_(
            "The incident (public_id, url, started_at, ended_at, attacker, "
            "target_country, attribution, drones_launched, drones_intercepted, "
            "interception_rate, status) and the place (place, place_slug, "
            "place_kind, region, country, role)."
        )
    )


@extend_schema_serializer(many=False)
class FeatureCollectionSerializer(serializers.Serializer):
    """GeoJSON: one Point per incident and place with coordinates, unpaged."""

    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = FeatureSerializer(many=True)


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    version = serializers.IntegerField(help_text=_("The incident's current version."))


class TransitionSerializer(serializers.Serializer):
    """Body of a workflow action: all optional except a retraction's reason."""

    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_(
            "The version you read; if someone saved in between, nothing changes (409)."
        ),
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=REASON_MAX_LENGTH,
        help_text=_(
            "Why; kept in the history. Required to retract, and then shown to "
            "readers with the retracted incident."
        ),
    )
