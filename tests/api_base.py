"""The cast shared by the API tests: two published incidents, one draft,
a journalist, an editor (Editor group) with tokens and a reader without
rights."""

from django.contrib.auth.models import Group, Permission
from rest_framework.authtoken.models import Token
from rest_framework.test import APITestCase

from incidents.models import Incident, Location
from tests.factories import kyiv, make_incident, make_location, make_user, make_weapon


class ApiTestCase(APITestCase):
    @classmethod
    def setUpTestData(cls):
        cls.ramenskoye = make_location(
            "Ramenskoye",
            slug="ramenskoye-ru",
            alternate_names=["Ramenskoïe", "Раменское", "Ramenskoe"],
        )
        cls.kyiv_place = make_location(
            "Kyiv",
            slug="kyiv-ua",
            country="UA",
            region="Kyiv",
            latitude="50.45466",
            longitude="30.52380",
            alternate_names=["Київ", "Kiev"],
        )
        cls.shahed = make_weapon()
        cls.iskander = make_weapon("Iskander-M", "ballistic_missile")
        cls.moscow = make_incident(
            attacker="UA",
            target_country="RU",
            drones_launched=None,
            drones_intercepted=34,
            started_at=kyiv(2024, 11, 10, 1, 0),
            ended_at=None,
            summary="Downed over the Moscow region.",
            places=[(cls.ramenskoye, "interception")],
            sources=[{"claimant": "Russian Ministry of Defence"}],
        )
        cls.ukraine = make_incident(
            started_at=kyiv(2024, 11, 9, 20, 0),
            places=[cls.kyiv_place],
            lines=[(cls.shahed, 145, 62)],
        )
        cls.draft = make_incident(
            status=Incident.Status.DRAFT,
            started_at=kyiv(2024, 11, 11, 2, 0),
            ended_at=None,
            drones_launched=7,
            drones_intercepted=5,
            summary="Unverified draft.",
            places=[(cls.ramenskoye, "target")],
            lines=[(cls.iskander, 1, 0)],
        )
        cls.journalist = make_user("journalist")
        cls.journalist.user_permissions.set(
            Permission.objects.filter(
                content_type__app_label="incidents",
                codename__in=["add_incident", "change_incident", "view_incident"],
            )
        )
        cls.journalist_token = Token.objects.create(user=cls.journalist)
        cls.editor = make_user("editor")
        cls.editor.groups.add(Group.objects.get(name="Editor"))
        cls.editor_token = Token.objects.create(user=cls.editor)
        cls.reader = make_user("reader", staff=False)
        cls.reader_token = Token.objects.create(user=cls.reader)

    def as_journalist(self):
        self.client.credentials(HTTP_AUTHORIZATION=f"Token {self.journalist_token.key}")

    def as_editor(self):
        self.client.credentials(HTTP_AUTHORIZATION=f"Token {self.editor_token.key}")

    def as_reader(self):
        self.client.credentials(HTTP_AUTHORIZATION=f"Token {self.reader_token.key}")


__all__ = ["ApiTestCase", "Incident", "Location"]
