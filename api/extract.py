"""POST /api/v1/extract/: draft incidents proposed from a news report.

Nothing is saved: the journalist's client shows the proposals, each field
with the sentence it came from, and creates incidents through the usual API
or admin once checked.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import ErrorSerializer
from incidents.extraction import (
    LANGUAGES,
    MAX_TEXT_LENGTH,
    detect_language,
    extract_incidents,
)


class ExtractRequestSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=MAX_TEXT_LENGTH,
        help_text=_("The report or statement, as plain text."),
    )
    url = serializers.URLField(max_length=500, required=False, default="")
    publisher = serializers.CharField(max_length=200, required=False, default="")
    published_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_('Resolves "overnight", "la nuit de samedi à dimanche"…'),
    )
    language = serializers.ChoiceField(
        choices=LANGUAGES,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Detected from the text when not given."),
    )


class _ValueSerializer(serializers.Serializer):
    value = serializers.JSONField(allow_null=True)
    evidence = serializers.CharField(allow_null=True)


class _PlaceSerializer(serializers.Serializer):
    location = serializers.SlugField(help_text=_("Slug of the gazetteer place."))
    name = serializers.CharField()
    region = serializers.CharField()
    country = serializers.CharField()
    role = serializers.CharField()
    evidence = serializers.CharField()


class _WeaponLineSerializer(serializers.Serializer):
    weapon = serializers.CharField()
    launched = serializers.IntegerField(allow_null=True)
    intercepted = serializers.IntegerField(allow_null=True)
    evidence = serializers.CharField()


class _FigureSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["launched", "intercepted"])
    value = serializers.IntegerField()
    weapon = serializers.CharField(allow_null=True)
    claimant = serializers.CharField()
    evidence = serializers.CharField()


class _SourceSerializer(serializers.Serializer):
    claimant = serializers.CharField()
    claim = serializers.CharField()
    url = serializers.CharField()
    publisher = serializers.CharField()
    title = serializers.CharField()
    language = serializers.CharField()
    published_on = serializers.DateField(allow_null=True)


class DraftSerializer(serializers.Serializer):
    started_at = _ValueSerializer()
    ended_at = _ValueSerializer()
    time_precision = _ValueSerializer()
    attacker = _ValueSerializer()
    target_country = _ValueSerializer()
    attribution = _ValueSerializer()
    drones_launched = _ValueSerializer()
    drones_intercepted = _ValueSerializer()
    region = _ValueSerializer()
    summary = serializers.CharField()
    places = _PlaceSerializer(many=True)
    weapon_lines = _WeaponLineSerializer(many=True)
    figures = _FigureSerializer(many=True)
    sources = _SourceSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())


class ExtractResponseSerializer(serializers.Serializer):
    language = serializers.CharField()
    drafts = DraftSerializer(many=True)


class ExtractView(APIView):
    """Propose draft incidents from the text of a report (nothing is saved)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="extract_drafts",
        summary="Draft incidents from a news report",
        request=ExtractRequestSerializer,
        responses={
            200: ExtractResponseSerializer,
            # Documented so that clients (and the schemathesis run) know them.
            400: OpenApiTypes.OBJECT,
            401: ErrorSerializer,
            403: ErrorSerializer,
            429: ErrorSerializer,
        },
        examples=[
            OpenApiExample(
                "A Ukrainian Air Force report",
                value={
                    "text": "Overnight, Russia launched 80 Shahed drones at "
                    "Ukraine; 64 were shot down, the Ukrainian Air Force said.",
                    "published_on": "2024-11-10",
                },
                request_only=True,
            )
        ],
        tags=["extract"],
    )
    def post(self, request):
        form = ExtractRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        language = data["language"] or detect_language(data["text"])
        drafts = extract_incidents(
            data["text"],
            published_on=data["published_on"],
            url=data["url"],
            publisher=data["publisher"],
            language=language,
        )
        return Response(
            {"language": language, "drafts": [draft.to_dict() for draft in drafts]},
            status=status.HTTP_200_OK,
        )
