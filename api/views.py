"""The REST API's views: incidents (read/write), locations and stats (read)."""

import hashlib

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import (
    IsAuthenticated,
)
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

from api import serializers as s
from api.filters import IncidentFilter, LocationFilter
from api.pagination import KeysetPagination
from api.permissions import ModelPermissionsOrReadOnly
from api.renderers import (
    STREAMED_FORMATS,
    CSVRenderer,
    GeoJSONRenderer,
    geojson_response,
)
from incidents import permissions, stats
from incidents.cache import cache_public, record_state, record_version
from incidents.export import csv_response
from incidents.models import Incident, Location, StaleVersionError

# Documented error answers, shared by every operation.
_ERROR = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description=_(
            "Invalid input: an object mapping each parameter or field to its "
            "messages; nested rows are keyed by their index in the list."
        ),
        examples=[
            OpenApiExample(
                "Bad filter",
                value={"date_after": ["Enter a valid date."]},
                response_only=True,
                status_codes=["400"],
            )
        ],
    ),
    401: OpenApiResponse(s.ErrorSerializer, description=_("No or invalid token.")),
    403: OpenApiResponse(
        s.ErrorSerializer, description=_("The token's user may not do this.")
    ),
    404: OpenApiResponse(s.ErrorSerializer, description=_("No such object.")),
    409: OpenApiResponse(
        s.ConflictSerializer,
        description=_(
            "Someone saved the incident after the `version` you sent; nothing "
            "was written. Reload, redo the change, send the new version."
        ),
        examples=[
            OpenApiExample(
                "Stale version",
                value={
                    "detail": "Someone else saved this incident while you were "
                    "editing it (you started from version 3; it is now at "
                    "version 4). Your changes were not saved: reload the "
                    "incident, check their changes and make yours again.",
                    "version": 4,
                },
                response_only=True,
                status_codes=["409"],
            )
        ],
    ),
    429: OpenApiResponse(
        s.ErrorSerializer,
        description=_("Too many requests; retry after `Retry-After` seconds."),
    ),
}


def _errors(*codes):
    """Error answers for the schema: always JSON, whatever format was asked."""
    return {(code, "application/json"): _ERROR[code] for code in codes}


_NOT_MODIFIED = OpenApiResponse(
    description=_("Unchanged since the `ETag` or date given in the request.")
)
_FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv", "geojson"],
    description=_(
        "Output format; the Accept header works too (text/csv, "
        "application/geo+json). CSV and GeoJSON hold every matching row, unpaged."
    ),
)
_INCIDENT_EXAMPLE = {
    "started_at": "2024-11-10T01:00:00+02:00",
    "ended_at": None,
    "time_precision": "hour",
    "attacker": "UA",
    "target_country": "RU",
    "attribution": "attributed",
    "drones_launched": None,
    "drones_intercepted": 34,
    "summary": "34 drones downed over the Moscow region.",
    "places": [{"slug": "ramenskoye-ru", "role": "interception"}],
    "weapon_lines": [],
    "sources": [
        {
            "url": "https://example.org/report",
            "publisher": "Example News",
            "title": "Drones over Moscow",
            "language": "en",
            "published_on": "2024-11-10",
            "claimant": "Russian Ministry of Defence",
            "claim": "34 drones destroyed over the Moscow region.",
        }
    ],
}


_INCIDENT_OUT = {
    "public_id": "k3v9q2m7xw",
    "url": "https://example.org/incidents/k3v9q2m7xw/",
    **{k: v for k, v in _INCIDENT_EXAMPLE.items() if k not in ("places", "sources")},
    "interception_rate": None,
    "status": "published",
    "places": [
        {
            "slug": "ramenskoye-ru",
            "name": "Ramenskoye",
            "alternate_names": ["Ramenskoïe", "Раменское"],
            "region": "Moscow Oblast",
            "country": "RU",
            "latitude": 55.56341,
            "longitude": 38.24152,
            "kind": "settlement",
            "role": "interception",
        }
    ],
    "sources": _INCIDENT_EXAMPLE["sources"],
    "created_at": "2024-11-10T09:12:00+02:00",
    "updated_at": "2024-11-10T09:40:00+02:00",
    "published_at": "2024-11-10T09:40:00+02:00",
}
_STATS_OUT = {
    "period": "month",
    "totals": {
        "incidents": 2,
        "drones_launched": 145,
        "drones_intercepted": 96,
        "interception_rate": 0.4276,
    },
    "series": [
        {
            "period": "2024-11-01",
            "incidents": 2,
            "drones_launched": 145,
            "drones_intercepted": 96,
            "interception_rate": 0.4276,
        }
    ],
    "by_side": [
        {
            "attacker": "RU",
            "incidents": 1,
            "drones_launched": 145,
            "drones_intercepted": 62,
            "interception_rate": 0.4276,
        }
    ],
    "by_weapon": [
        {
            "weapon": "Shahed-136/131",
            "category": "attack_drone",
            "incidents": 1,
            "launched": 145,
            "intercepted": 62,
        }
    ],
}


def _etag(*parts):
    text = "|".join(str(part) for part in parts)
    return f'"{hashlib.sha256(text.encode()).hexdigest()[:32]}"'


class _ConditionalMixin:
    """ETag / Last-Modified validators and 304 answers for GET and HEAD, and
    the shared public cache for anonymous reads.

    The cache (incidents.cache) wraps the handler, not the whole view, so
    authentication, permissions and throttling still run on every request;
    token and session requests never read nor fill it.
    """

    def _cached(self, handler, request, *args, **kwargs):
        def view(_django_request, *args, **kwargs):
            return handler(request, *args, **kwargs)

        return cache_public()(view)(request._request, *args, **kwargs)

    def _versioned(self, request, handler, *args, **kwargs):
        """A 304 or the handler's answer, validated by the record version
        (for answers too costly to summarise by their rows)."""
        version = record_version()
        if version is not None:
            sees_drafts = request.user.has_perm("incidents.change_incident")
            etag = _etag(
                version,
                request.accepted_media_type,
                "all" if sees_drafts else "public",
                request.get_full_path(),
            )
            not_modified = self._conditional(request, etag, None)
            if not_modified:
                return not_modified
        return handler(request, *args, **kwargs)

    def _conditional(self, request, etag, last_modified):
        """A 304 response when the client's copy is current, else None
        (last_modified: a POSIX timestamp, or None)."""
        timestamp = int(last_modified) if last_modified else None
        self._validators = (etag, timestamp)
        return get_conditional_response(
            request._request, etag=etag, last_modified=timestamp
        )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        renderer = getattr(response, "accepted_renderer", None)
        if (
            response.status_code >= 400
            and renderer
            and renderer.format in (STREAMED_FORMATS)
        ):
            # Errors are always JSON, whatever format was asked for.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        validators = getattr(self, "_validators", None)
        if validators and response.status_code in (200, 304):
            etag, timestamp = validators
            response["ETag"] = etag
            if timestamp is not None:
                response["Last-Modified"] = http_date(timestamp)
        patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
        return response


class IncidentPermission(ModelPermissionsOrReadOnly):
    """Model permissions, then incidents/permissions.py's can_edit on updates:
    journalists change only their own drafts and incidents in review."""

    def has_object_permission(self, request, view, obj):
        if request.method in ("PUT", "PATCH") and not permissions.can_edit(
            request.user, obj
        ):
            self.message = _(
                "You may change only your own drafts and incidents in review; "
                "an editor changes the rest."
            )
            return False
        return True


def _transition_doc(name, summary, description, example_reason=""):
    example = {"version": 3}
    if example_reason:
        example["reason"] = example_reason
    return extend_schema(
        operation_id=f"incidents_{name}",
        summary=summary,
        description=description,
        request=s.TransitionSerializer,
        examples=[OpenApiExample("Request", value=example, request_only=True)],
        responses={
            200: s.IncidentSerializer,
            (400, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=_("The move is not allowed; the message says why."),
                examples=[
                    OpenApiExample(
                        "No source",
                        value={
                            "status": [
                                "A published incident needs at least one "
                                "source. Add a source before publishing."
                            ]
                        },
                        response_only=True,
                        status_codes=["400"],
                    )
                ],
            ),
            **_errors(401, 403, 404, 409, 429),
        },
    )


_EDITORS_ONLY = _(
    "Only editors may publish, unpublish or retract incidents "
    "(permission incidents.publish_incident)."
)


@extend_schema_view(
    list=extend_schema(
        summary=_("List incidents"),
        description=_(
            "Newest first unless `ordering` says otherwise. Pages are keyset "
            "cursors: follow `next` until it is null; rows added meanwhile are "
            "never skipped nor repeated. To keep a copy in sync, ask for "
            "`ordering=updated_at&updated_since=<last updated_at seen, minus a "
            "minute>`, follow `next` and upsert by `public_id`."
        ),
        parameters=[_FORMAT],
        responses={
            (200, "application/json"): s.IncidentSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/geo+json"): s.FeatureCollectionSerializer,
            304: _NOT_MODIFIED,
            **_errors(400, 429),
        },
    ),
    retrieve=extend_schema(
        summary=_("One incident"),
        parameters=[_FORMAT],
        examples=[
            OpenApiExample(
                "Moscow region, 34 downed",
                value=_INCIDENT_OUT,
                response_only=True,
                status_codes=["200"],
            )
        ],
        responses={
            (200, "application/json"): s.IncidentSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/geo+json"): s.FeatureCollectionSerializer,
            304: _NOT_MODIFIED,
            **_errors(404, 429),
        },
    ),
    create=extend_schema(
        summary=_("Create a draft incident"),
        description=_(
            "Needs a token whose user may add incidents. The new incident is a "
            "draft until an editor publishes it. Places are given by location "
            "slug and role, weapon lines by weapon model name."
        ),
        examples=[
            OpenApiExample(
                "Moscow region, 34 downed", value=_INCIDENT_EXAMPLE, request_only=True
            )
        ],
        responses={
            201: s.IncidentSerializer,
            **_errors(400, 401, 403, 429),
        },
    ),
    update=extend_schema(
        summary=_("Replace an incident"),
        description=_(
            "Editors change any incident; journalists only their own drafts "
            "and incidents in review (403 otherwise). Nested lists (places, "
            "weapon_lines, sources) replace the stored ones when given and are "
            "kept when left out. `status` is read-only: use the workflow "
            "actions. Once an incident has been published, `change_reason` is "
            "required and shown to readers in the corrections. Send back the "
            "`version` you read: a stale one answers 409 and writes nothing."
        ),
        examples=[
            OpenApiExample(
                "Correcting a published incident",
                value={
                    **_INCIDENT_EXAMPLE,
                    "drones_intercepted": 36,
                    "version": 3,
                    "change_reason": "The ministry revised its figure.",
                },
                request_only=True,
            )
        ],
        responses={
            200: s.IncidentSerializer,
            **_errors(400, 401, 403, 404, 409, 429),
        },
    ),
    partial_update=extend_schema(
        summary=_("Change some fields of an incident"),
        description=_("Same rules as the full update."),
        examples=[
            OpenApiExample(
                "Correcting a figure",
                value={
                    "drones_intercepted": 36,
                    "version": 3,
                    "change_reason": "The ministry revised its figure.",
                },
                request_only=True,
            )
        ],
        responses={
            200: s.IncidentSerializer,
            **_errors(400, 401, 403, 404, 409, 429),
        },
    ),
    submit=_transition_doc(
        "submit",
        _("Submit a draft for review"),
        _("Draft → in review. The journalist who created the draft, or an editor."),
    ),
    publish=_transition_doc(
        "publish",
        _("Publish an incident"),
        _(
            "In review → published. Editors only; the incident needs at least "
            "one source."
        ),
    ),
    unpublish=_transition_doc(
        "unpublish",
        _("Withdraw a published incident"),
        _("Published → draft. Editors only; readers see it withdrawn."),
        "Sent back for checks.",
    ),
    retract=_transition_doc(
        "retract",
        _("Retract a published incident"),
        _(
            "Published → retracted, for good. Editors only; `reason` is "
            "required and shown to readers."
        ),
        "The strike was a hoax.",
    ),
)
class IncidentViewSet(
    _ConditionalMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Incidents: published ones for everyone, drafts too for editors."""

    serializer_class = s.IncidentSerializer
    renderer_classes = [JSONRenderer, CSVRenderer, GeoJSONRenderer]
    parser_classes = [JSONParser]
    filterset_class = IncidentFilter
    pagination_class = KeysetPagination
    lookup_field = "public_id"
    lookup_value_regex = "[0-9a-z]{1,32}"
    ordering = ("-started_at", "-id")
    ordering_param = "ordering"
    queryset = Incident.objects.none()  # for permissions and the schema
    permission_classes = [IncidentPermission]

    def get_queryset(self):
        return self._visible().for_detail()

    def get_permissions(self):
        if self.action in self._TRANSITIONS:
            # Who may move what is the model's and incidents/permissions.py's
            # business (see _transition).
            return [IsAuthenticated()]
        return super().get_permissions()

    def get_serializer_class(self):
        if self.action in self._TRANSITIONS:
            return s.TransitionSerializer
        return super().get_serializer_class()

    def _sees_drafts(self):
        return self.request.user.has_perm("incidents.change_incident")

    def _visible(self):
        if self._sees_drafts():
            return Incident.objects.all()
        return Incident.objects.public()

    def get_renderers(self):
        if self.action in ("list", "retrieve"):
            return [JSONRenderer(), CSVRenderer(), GeoJSONRenderer()]
        return [JSONRenderer()]

    def _identity(self, request):
        """What, besides the rows, the answer depends on."""
        return (
            request.accepted_media_type,
            "all" if self._sees_drafts() else "public",
            request.get_full_path(),
            # Bumped when anything shown with an incident (a place's or a
            # weapon's name) changes.
            record_version(),
        )

    def list(self, request, *args, **kwargs):
        return self._cached(self._list, request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self._cached(self._retrieve, request, *args, **kwargs)

    def _list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        # Validators from the record version, which every change moves on:
        # no query over the matching rows, however many there are.
        _version, changed_at = record_state()
        etag = _etag(*self._identity(request))
        not_modified = self._conditional(request, etag, changed_at)
        if not_modified:
            return not_modified
        fmt = request.accepted_renderer.format
        if fmt == CSVRenderer.format:
            return csv_response(queryset, request)
        if fmt == GeoJSONRenderer.format:
            return geojson_response(queryset, request)
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    def _retrieve(self, request, *args, **kwargs):
        public_id = self.kwargs[self.lookup_field]
        row = (
            self._visible()
            .filter(public_id=public_id)
            .values_list("updated_at", "version")
            .first()
        )
        if row is not None:
            stamp, version = row
            etag = _etag(public_id, stamp, version, *self._identity(request))
            not_modified = self._conditional(request, etag, stamp.timestamp())
            if not_modified:
                return not_modified
        incident = self.get_object()
        fmt = request.accepted_renderer.format
        one = self.get_queryset().filter(pk=incident.pk)
        if fmt == CSVRenderer.format:
            return csv_response(one, request, f"incident-{public_id}.csv")
        if fmt == GeoJSONRenderer.format:
            return geojson_response(one, request)
        return Response(self.get_serializer(incident).data)

    def perform_create(self, serializer):
        user = self.request.user
        self._save(serializer, created_by=user, updated_by=user)

    def perform_update(self, serializer):
        self._save(serializer, updated_by=self.request.user)

    def _save(self, serializer, **extra):
        try:
            with transaction.atomic():
                serializer.save(**extra)
        except StaleVersionError as exc:
            # A concurrent save moved the version on (compare-and-swap).
            raise s.Conflict(exc) from None
        except DjangoValidationError as exc:
            # A model rule caught what validation could not see.
            raise ValidationError(s._field_errors(exc)) from None
        except IntegrityError as exc:
            # Validation mirrors every constraint; this is a race with another
            # writer. Nothing was written (the transaction rolled back).
            raise ValidationError(
                {
                    api_settings.NON_FIELD_ERRORS_KEY: [
                        _("The record changed meanwhile; nothing was saved. (%s)")
                        % exc.__class__.__name__
                    ]
                }
            ) from None

    # --- Workflow: the model's transitions, its rules and messages ---------

    _TRANSITIONS = ("submit", "publish", "unpublish", "retract")

    @action(detail=True, methods=["post"])
    def submit(self, request, public_id=None):
        return self._transition(request, "submit_for_review", editors_only=False)

    @action(detail=True, methods=["post"])
    def publish(self, request, public_id=None):
        return self._transition(request, "publish", editors_only=True)

    @action(detail=True, methods=["post"])
    def unpublish(self, request, public_id=None):
        return self._transition(request, "unpublish", editors_only=True)

    @action(detail=True, methods=["post"])
    def retract(self, request, public_id=None):
        return self._transition(request, "retract", editors_only=True)

    def _transition(self, request, method, *, editors_only):
        if editors_only and not permissions.can_publish(request.user):
            raise PermissionDenied(_EDITORS_ONLY)
        body = s.TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        incident = self.get_object()
        reason = body.validated_data.get("reason", "")
        version = body.validated_data.get("version")
        move = getattr(incident, method)
        try:
            if method == "retract":
                move(reason, user=request.user, expected_version=version)
            else:
                move(user=request.user, reason=reason, expected_version=version)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        except StaleVersionError as exc:
            raise s.Conflict(exc) from None
        except DjangoValidationError as exc:
            errors = s._field_errors(exc)
            if "retraction_reason" in errors:
                errors["reason"] = errors.pop("retraction_reason")
            raise ValidationError(errors) from None
        fresh = Incident.objects.for_detail().get(pk=incident.pk)
        return Response(s.IncidentSerializer(fresh, context={"request": request}).data)


@extend_schema_view(
    list=extend_schema(
        summary=_("List places"),
        responses={
            200: s.LocationSerializer(many=True),
            304: _NOT_MODIFIED,
            **_errors(400, 429),
        },
    ),
    retrieve=extend_schema(
        summary=_("One place"),
        responses={
            200: s.LocationSerializer,
            304: _NOT_MODIFIED,
            **_errors(404, 429),
        },
    ),
)
class LocationViewSet(_ConditionalMixin, viewsets.ReadOnlyModelViewSet):
    """Places, found by any spelling of their name."""

    serializer_class = s.LocationSerializer
    filterset_class = LocationFilter
    pagination_class = KeysetPagination
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    ordering = ("name", "id")
    queryset = Location.objects.none()

    def get_queryset(self):
        public = Q(incident_locations__incident__status__in=Incident.PUBLIC_STATUSES)
        return Location.objects.annotate(
            incident_count=Count(
                "incident_locations__incident", filter=public, distinct=True
            )
        ).order_by("name", "id")

    def list(self, request, *args, **kwargs):
        return self._cached(self._versioned, request, super().list, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self._cached(self._versioned, request, super().retrieve, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(
        summary=_("Totals and time series"),
        description=_(
            "Counts and sums over the incidents matching the same filters as "
            "the incident list, computed by the database."
        ),
        parameters=[
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                enum=list(stats.PERIODS),
                default="month",
                description=_("Step of the time series: day, week or month."),
            )
        ],
        examples=[
            OpenApiExample(
                "November 2024",
                value=_STATS_OUT,
                response_only=True,
                status_codes=["200"],
            )
        ],
        responses={200: s.StatsSerializer, 304: _NOT_MODIFIED, **_errors(400, 429)},
    )
)
class StatsViewSet(_ConditionalMixin, viewsets.GenericViewSet):
    """Aggregates over published incidents (and drafts for editors)."""

    filterset_class = IncidentFilter
    serializer_class = s.StatsSerializer
    queryset = Incident.objects.none()
    pagination_class = None

    def get_queryset(self):
        if self.request.user.has_perm("incidents.change_incident"):
            return Incident.objects.all()
        return Incident.objects.public()

    def list(self, request, *args, **kwargs):
        return self._cached(self._versioned, request, self._stats, *args, **kwargs)

    def _stats(self, request, *args, **kwargs):
        # Report a bad period and bad filters together, each by name.
        errors = {}
        query = s.StatsQuerySerializer(data=request.query_params)
        if not query.is_valid():
            errors.update(query.errors)
        try:
            queryset = self.filter_queryset(self.get_queryset())
        except ValidationError as exc:
            errors.update(exc.detail)
        if errors:
            raise ValidationError(errors)
        period = query.validated_data["period"]
        series = stats.series(queryset, period)
        for row in series:
            row["period"] = row["period"].date()
        data = {
            "period": period,
            "totals": stats.totals(queryset),
            "series": series,
            "by_side": stats.by_side(queryset),
            "by_weapon": stats.by_weapon(queryset),
        }
        return Response(s.StatsSerializer(data).data)
