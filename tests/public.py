"""A small named cast of incidents for the public-page tests."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from incidents.cache import record_state
from incidents.models import Incident, IncidentLocation
from tests.factories import kyiv, make_incident, make_location, make_weapon


class PublicCast(TestCase):
    """Three public incidents, one retracted, one draft and one in review.

    - kharkiv_attack: RU -> UA, overnight 9-10 Nov 2024, 145 launched / 62 down
    - moscow_attack: unknown side -> RU, date only 10 Nov 2024, 34 down,
      at Ramenskoye (spelled Ramenskoïe / Раменское too)
    - october_attack: RU -> UA, 1 Oct 2024, 20 / 20, Lancet
    - retracted: RU -> UA, 5 Sep 2024, shown with a "retracted" label
    - draft, in_review: never shown anywhere public
    """

    @classmethod
    def setUpTestData(cls):
        cls.ramenskoye = make_location(
            "Ramenskoye", alternate_names=["Ramenskoïe", "Раменское"]
        )
        cls.kharkiv = make_location(
            "Kharkiv",
            country="UA",
            region="Kharkiv Oblast",
            latitude="49.98081",
            longitude="36.25272",
            alternate_names=["Kharkov", "Харків"],
        )
        cls.unmapped = make_location(
            "Nowhere Farm", country="UA", region="", latitude=None, longitude=None
        )
        cls.shahed = make_weapon()
        cls.lancet = make_weapon("Lancet", "loitering")
        cls.kharkiv_attack = make_incident(
            places=[cls.kharkiv],
            lines=[(cls.shahed, 145, 62)],
            summary="Overnight drone attack on Kharkiv.",
        )
        cls.moscow_attack = make_incident(
            attacker="ZZ",
            target_country="RU",
            attribution=Incident.Attribution.UNCLAIMED,
            started_at=kyiv(2024, 11, 10, 0, 0),
            ended_at=None,
            time_precision=Incident.Precision.DAY,
            drones_launched=None,
            drones_intercepted=34,
            places=[(cls.ramenskoye, IncidentLocation.Role.INTERCEPTION)],
            summary="Drones downed over the Moscow region.",
            sources=[
                {
                    "claimant": "Russian Ministry of Defence",
                    "claim": "34 Ukrainian drones destroyed.",
                    "title": "MoD statement",
                    "publisher": "TASS",
                    "url": "https://example.org/mod",
                }
            ],
        )
        cls.october_attack = make_incident(
            started_at=kyiv(2024, 10, 1, 21, 0),
            ended_at=kyiv(2024, 10, 1, 23, 0),
            drones_launched=20,
            drones_intercepted=20,
            places=[cls.kharkiv, cls.unmapped],
            lines=[(cls.lancet, 20, 20)],
            summary="Lancet strikes near Kharkiv.",
        )
        cls.retracted = make_incident(
            started_at=kyiv(2024, 9, 5, 22, 0),
            ended_at=None,
            drones_launched=3,
            drones_intercepted=1,
            status=Incident.Status.RETRACTED,
            retraction_reason="The report was withdrawn by its source.",
            places=[cls.kharkiv],
            summary="Later found to be misreported.",
        )
        cls.draft = make_incident(
            started_at=kyiv(2024, 11, 11, 2, 0),
            ended_at=None,
            drones_launched=999,
            drones_intercepted=1,
            status=Incident.Status.DRAFT,
            places=[cls.kharkiv, cls.ramenskoye],
            lines=[(make_weapon("Secret drone"), 999, 1)],
            summary="SECRET DRAFT text",
            sources=[{"claimant": "Unverified channel", "title": "Hidden rumour"}],
        )
        cls.in_review = make_incident(
            started_at=kyiv(2024, 11, 12, 2, 0),
            ended_at=None,
            drones_launched=888,
            drones_intercepted=None,
            status=Incident.Status.IN_REVIEW,
            places=[cls.kharkiv],
            summary="IN REVIEW text",
        )

    def assertNoUnpublished(self, content):
        if isinstance(content, bytes):
            content = content.decode()
        for incident in (self.draft, self.in_review):
            self.assertNotIn(incident.public_id, content)
            self.assertNotIn(incident.summary, content)
        # Their counts, as whole numbers (not inside a timestamp or id).
        self.assertNotRegex(content, r"(?<![\w.])(999|888)(?!\w)")
        self.assertNotIn("Secret drone", content)
        self.assertNotIn("Hidden rumour", content)


def count_queries(client, url):
    """Queries run to answer `url` (a streamed body is read to the end).

    The record version that keys the public cache is read once a second per
    process, not per request; it is read before counting.
    """
    record_state()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def add_incidents(count, location, weapon):
    """`count` more published incidents at `location`, each with a weapon
    line and two sources, to show that page queries do not grow with rows."""
    for day in range(count):
        incident = make_incident(
            started_at=kyiv(2023, 1, 1 + day % 28, 20, 0),
            ended_at=None,
            drones_launched=10,
            drones_intercepted=5,
            places=[location],
            lines=[(weapon, 10, 5)],
            summary=f"Bulk incident {day}",
            sources=[{}, {"claimant": "Second claimant"}],
        )
        assert incident.is_public
