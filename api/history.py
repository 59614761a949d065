"""History endpoints: one incident's corrections, and every change since a date.

Mounted at /api/v1/incidents/<public_id>/history/ ("api:incident-history")
and /api/v1/changes/ ("api:changes").
"""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import permissions as drf_permissions
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import ErrorSerializer
from incidents import corrections
from incidents.models import Incident
from incidents.permissions import can_publish

CHANGES_LIMIT = 500


class CorrectionSerializer(serializers.Serializer):
    """One change to a published incident, as readers see it."""

    incident = serializers.CharField(help_text="public_id of the incident.")
    date = serializers.DateTimeField()
    kind = serializers.ChoiceField(
        choices=[
            corrections.CORRECTION,
            corrections.RETRACTION,
            corrections.WITHDRAWAL,
        ]
    )
    field = serializers.CharField(help_text="What changed, in words.")
    old = serializers.CharField()
    new = serializers.CharField()
    reason = serializers.CharField(help_text="Why, as the newsroom gave it.")
    who = serializers.CharField(
        required=False, help_text="Who made the change (editors only)."
    )


class IncidentHistorySerializer(serializers.Serializer):
    incident = serializers.CharField()
    status = serializers.CharField()
    retraction_reason = serializers.CharField()
    results = CorrectionSerializer(many=True)


class ChangesSerializer(serializers.Serializer):
    since = serializers.DateTimeField()
    has_more = serializers.BooleanField()
    next_since = serializers.DateTimeField(
        allow_null=True, help_text="Ask again with this `since` when has_more."
    )
    results = CorrectionSerializer(many=True)


_ERROR = ErrorSerializer

_CORRECTION_EXAMPLE = {
    "incident": "k3v9q2m7xw",
    "date": "2024-11-11T10:02:00+02:00",
    "kind": "correction",
    "field": "drones intercepted",
    "old": "34",
    "new": "36",
    "reason": "The ministry revised its figure.",
}


def _is_newsroom(user):
    return (
        user.is_authenticated
        and user.is_staff
        and user.has_perm("incidents.view_incident")
    )


class IncidentHistoryView(APIView):
    """Corrections of one incident; the newsroom sees its full history."""

    permission_classes = [drf_permissions.AllowAny]
    serializer_class = IncidentHistorySerializer

    @extend_schema(
        operation_id="incidents_history",
        summary="Corrections of one incident",
        tags=["incidents"],
        examples=[
            OpenApiExample(
                "A corrected figure",
                value={
                    "incident": "k3v9q2m7xw",
                    "status": "published",
                    "retraction_reason": "",
                    "results": [_CORRECTION_EXAMPLE],
                },
                response_only=True,
                status_codes=["200"],
            )
        ],
        responses={
            200: IncidentHistorySerializer,
            404: _ERROR,
            429: _ERROR,
        },
    )
    def get(self, request, public_id):
        newsroom = _is_newsroom(request.user)
        incidents = Incident.objects.all() if newsroom else Incident.objects.public()
        incident = get_object_or_404(incidents, public_id=public_id)
        entries = corrections.corrections_for(incident, public=not newsroom)
        return Response(
            {
                "incident": incident.public_id,
                "status": incident.status,
                "retraction_reason": incident.retraction_reason
                if incident.status == Incident.Status.RETRACTED
                else "",
                "results": [
                    e.as_dict(with_who=newsroom and can_publish(request.user))
                    for e in entries
                ],
            }
        )


class ChangesView(APIView):
    """Corrections, retractions and withdrawals after `since` (ISO 8601),
    oldest first, for clients that keep a synced copy."""

    permission_classes = [drf_permissions.AllowAny]
    serializer_class = ChangesSerializer

    @extend_schema(
        operation_id="changes_list",
        summary="Changes since a date",
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.DATETIME,
                required=True,
                description="ISO 8601 date-time; changes after it, oldest first.",
            )
        ],
        examples=[
            OpenApiExample(
                "One correction",
                value={
                    "since": "2024-11-11T00:00:00+00:00",
                    "has_more": False,
                    "next_since": None,
                    "results": [_CORRECTION_EXAMPLE],
                },
                response_only=True,
                status_codes=["200"],
            )
        ],
        responses={
            200: ChangesSerializer,
            400: OpenApiTypes.OBJECT,
            429: _ERROR,
        },
    )
    def get(self, request):
        raw = request.query_params.get("since", "")
        since = None
        if raw:
            try:
                since = parse_datetime(raw)
            except ValueError:
                since = None
        if since is None:
            return Response(
                {
                    "since": [
                        "Give `since` as an ISO 8601 date-time, "
                        "e.g. 2024-11-10T00:00:00Z."
                    ]
                },
                status=400,
            )
        if timezone.is_naive(since):
            since = timezone.make_aware(since, dt.UTC)
        entries, has_more = corrections.changes_since(since, limit=CHANGES_LIMIT)
        return Response(
            {
                "since": since.isoformat(),
                "has_more": has_more,
                "next_since": entries[-1].date.isoformat()
                if has_more and entries
                else None,
                "results": [e.as_dict() for e in entries],
            }
        )
