import copy

from django.urls import reverse
from rest_framework import status

from incidents.models import Incident, IncidentLocation, Source, WeaponLine
from tests.api_base import ApiTestCase

VALID = {
    "started_at": "2024-11-12T01:00:00+02:00",
    "ended_at": "2024-11-12T05:00:00+02:00",
    "time_precision": "hour",
    "attacker": "RU",
    "target_country": "UA",
    "attribution": "attributed",
    "drones_launched": None,
    "drones_intercepted": None,
    "summary": "Night attack on Kyiv.",
    "places": [{"slug": "kyiv-ua", "role": "target"}],
    "weapon_lines": [{"weapon": "Shahed-136/131", "launched": 40, "intercepted": 30}],
    "sources": [
        {
            "url": "https://example.org/kyiv",
            "publisher": "Example News",
            "title": "Kyiv attacked",
            "language": "en",
            "published_on": "2024-11-12",
            "claimant": "Ukrainian Air Force",
            "claim": "40 drones, 30 downed.",
        }
    ],
}


def body(**changes):
    data = copy.deepcopy(VALID)
    data.update(changes)
    return data


class IncidentWriteTests(ApiTestCase):
    url = reverse("api:incident-list")

    def _detail(self, incident):
        return reverse("api:incident-detail", args=[incident.public_id])

    def _counts(self):
        return (
            Incident.objects.count(),
            IncidentLocation.objects.count(),
            WeaponLine.objects.count(),
            Source.objects.count(),
        )

    def test_it_refuses_anonymous_writes(self):
        before = self._counts()
        detail = self._detail(self.moscow)
        answers = [
            self.client.post(self.url, body(), format="json"),
            self.client.put(detail, body(), format="json"),
            self.client.patch(detail, {"summary": "x"}, format="json"),
            self.client.delete(detail),
        ]
        for r in answers:
            self.assertIn(r.status_code, (401, 403), r.content)
        self.assertEqual(self._counts(), before)
        self.moscow.refresh_from_db()
        self.assertEqual(self.moscow.summary, "Downed over the Moscow region.")

    def test_it_refuses_a_token_without_the_add_permission(self):
        self.as_reader()
        r = self.client.post(self.url, body(), format="json")
        self.assertEqual(r.status_code, status.HTTP_403_FORBIDDEN)

    def test_a_journalist_creates_a_draft_with_nested_rows(self):
        self.as_journalist()
        r = self.client.post(self.url, body(status="published"), format="json")
        self.assertEqual(r.status_code, status.HTTP_201_CREATED, r.content)
        incident = Incident.objects.get(public_id=r.json()["public_id"])
        self.assertEqual(incident.status, Incident.Status.DRAFT)
        self.assertEqual(r.json()["status"], "draft")
        self.assertEqual(incident.created_by, self.journalist)
        self.assertEqual(incident.updated_by, self.journalist)
        # Blank totals are filled from the drone lines, as in the admin.
        self.assertEqual(
            (incident.drones_launched, incident.drones_intercepted), (40, 30)
        )
        self.assertEqual(
            [(p.location, p.role) for p in incident.incident_locations.all()],
            [(self.kyiv_place, "target")],
        )
        self.assertEqual(
            [
                (w.weapon, w.launched, w.intercepted)
                for w in incident.weapon_lines.all()
            ],
            [(self.shahed, 40, 30)],
        )
        self.assertEqual(incident.sources.get().claimant, "Ukrainian Air Force")
        self.assertIsNone(incident.published_at)
        # The journalist (who may change incidents) sees the draft; the public not.
        self.assertEqual(self.client.get(self._detail(incident)).status_code, 200)
        self.client.credentials()
        self.assertEqual(self.client.get(self._detail(incident)).status_code, 404)

    def test_weapon_names_ignore_letter_case(self):
        self.as_journalist()
        lines = [{"weapon": "shahed-136/131", "launched": 2, "intercepted": 1}]
        r = self.client.post(self.url, body(weapon_lines=lines), format="json")
        self.assertEqual(r.status_code, status.HTTP_201_CREATED, r.content)

    def _assert_rejected(self, data, field, fragment=None):
        self.as_journalist()
        before = self._counts()
        r = self.client.post(self.url, data, format="json")
        self.assertEqual(r.status_code, status.HTTP_400_BAD_REQUEST, r.content)
        errors = r.json()
        self.assertIn(field, errors)
        if fragment:
            self.assertIn(fragment, str(errors[field]))
        self.assertEqual(self._counts(), before)
        return errors

    def test_it_rejects_a_negative_count(self):
        self._assert_rejected(body(drones_launched=-1), "drones_launched")
        errors = self._assert_rejected(
            body(weapon_lines=[{"weapon": "Shahed-136/131", "launched": -4}]),
            "weapon_lines",
        )
        self.assertIn("launched", errors["weapon_lines"]["0"])

    def test_it_rejects_more_intercepted_than_launched(self):
        self._assert_rejected(
            body(drones_launched=5, drones_intercepted=9, weapon_lines=[]),
            "drones_intercepted",
            "cannot exceed",
        )
        errors = self._assert_rejected(
            body(
                weapon_lines=[
                    {"weapon": "Shahed-136/131", "launched": 3, "intercepted": 4}
                ]
            ),
            "weapon_lines",
        )
        self.assertIn("cannot exceed", str(errors["weapon_lines"]["0"]))

    def test_it_rejects_an_end_before_the_start(self):
        self._assert_rejected(
            body(ended_at="2024-11-11T05:00:00+02:00"), "ended_at", "before the start"
        )

    def test_it_rejects_dates_outside_any_plausible_span(self):
        for when in ("1189-09-05T22:34:16Z", "9999-12-31T23:59:59-05:00"):
            with self.subTest(when=when):
                self._assert_rejected(
                    body(started_at=when, ended_at=None), "started_at"
                )

    def test_it_rejects_an_unknown_place_or_weapon(self):
        errors = self._assert_rejected(
            body(places=[{"slug": "atlantis", "role": "target"}]), "places"
        )
        self.assertIn("atlantis", str(errors["places"]))
        errors = self._assert_rejected(
            body(weapon_lines=[{"weapon": "Death Star", "launched": 1}]),
            "weapon_lines",
        )
        self.assertIn("Death Star", str(errors["weapon_lines"]))
        # Text no database column can hold is refused, not sent to the DB.
        self._assert_rejected(
            body(places=[{"slug": "k\x00", "role": "target"}]), "places"
        )
        self._assert_rejected(
            body(weapon_lines=[{"weapon": "R\x00", "launched": 1}]), "weapon_lines"
        )

    def test_it_rejects_totals_that_disagree_with_the_drone_lines(self):
        self._assert_rejected(body(drones_launched=41), "drones_launched", "40")

    def test_it_rejects_a_place_listed_twice_and_an_unidentifiable_source(self):
        twice = [{"slug": "kyiv-ua", "role": "target"}] * 2
        self._assert_rejected(body(places=twice), "places", "twice")
        self._assert_rejected(
            body(sources=[{"claimant": "Someone"}]), "sources", "at least a URL"
        )

    def test_it_rejects_missing_fields_and_malformed_json(self):
        self._assert_rejected({"summary": "nothing else"}, "started_at")
        self.as_journalist()
        r = self.client.post(self.url, "{not json", content_type="application/json")
        self.assertEqual(r.status_code, status.HTTP_400_BAD_REQUEST)

    def test_patch_changes_fields_and_keeps_nested_rows_left_out(self):
        self.as_editor()
        r = self.client.patch(
            self._detail(self.ukraine),
            {"summary": "Revised.", "change_reason": "Clearer."},
            format="json",
        )
        self.assertEqual(r.status_code, status.HTTP_200_OK, r.content)
        self.ukraine.refresh_from_db()
        self.assertEqual(self.ukraine.summary, "Revised.")
        self.assertEqual(self.ukraine.updated_by, self.editor)
        self.assertEqual(self.ukraine.weapon_lines.count(), 1)
        self.assertEqual(self.ukraine.status, Incident.Status.PUBLISHED)

    def test_patch_checks_totals_against_the_stored_lines(self):
        self.as_editor()
        r = self.client.patch(
            self._detail(self.ukraine),
            {"drones_launched": 146, "change_reason": "New count."},
            format="json",
        )
        self.assertEqual(r.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertIn("drones_launched", r.json())
        self.ukraine.refresh_from_db()
        self.assertEqual(self.ukraine.drones_launched, 145)

    def test_put_replaces_the_nested_collections(self):
        self.as_editor()
        data = body(
            drones_launched=145,
            drones_intercepted=62,
            change_reason="Launch site identified.",
            places=[{"slug": "ramenskoye-ru", "role": "launch"}],
            weapon_lines=[
                {"weapon": "Shahed-136/131", "launched": 140, "intercepted": 60},
                {"weapon": "Iskander-M", "launched": 2, "intercepted": 2},
            ],
        )
        r = self.client.put(self._detail(self.ukraine), data, format="json")
        self.assertEqual(r.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertIn("drones_launched", r.json())
        data["weapon_lines"][0] = {
            "weapon": "Shahed-136/131",
            "launched": 145,
            "intercepted": 62,
        }
        r = self.client.put(self._detail(self.ukraine), data, format="json")
        self.assertEqual(r.status_code, status.HTTP_200_OK, r.content)
        self.assertEqual(
            [(p["slug"], p["role"]) for p in r.json()["places"]],
            [("ramenskoye-ru", "launch")],
        )
        self.assertEqual(self.ukraine.weapon_lines.count(), 2)
        self.assertEqual(self.ukraine.sources.get().title, "Kyiv attacked")

    def test_a_reader_cannot_update_and_nobody_can_delete(self):
        self.as_reader()
        r = self.client.patch(
            self._detail(self.ukraine), {"summary": "x"}, format="json"
        )
        self.assertEqual(r.status_code, status.HTTP_403_FORBIDDEN)
        self.as_journalist()
        r = self.client.delete(self._detail(self.ukraine))
        self.assertIn(r.status_code, (403, 405))
        self.assertTrue(Incident.objects.filter(pk=self.ukraine.pk).exists())

    def test_a_journalist_cannot_reach_a_draft_without_the_change_permission(self):
        self.journalist.user_permissions.remove(
            *self.journalist.user_permissions.filter(codename="change_incident")
        )
        self.as_journalist()
        r = self.client.get(self._detail(self.draft))
        self.assertEqual(r.status_code, status.HTTP_404_NOT_FOUND)

    def test_a_stale_version_is_refused_and_nothing_is_written(self):
        self.as_editor()
        read = self.client.get(self._detail(self.ukraine)).json()
        self.ukraine.refresh_from_db()
        self.ukraine.summary = "Edited by someone else."
        self.ukraine.save()
        r = self.client.patch(
            self._detail(self.ukraine),
            {"summary": "Mine.", "version": read["version"], "change_reason": "x"},
            format="json",
        )
        self.assertEqual(r.status_code, status.HTTP_409_CONFLICT)
        self.assertIn("Someone else saved this incident", r.json()["detail"])
        self.assertEqual(r.json()["version"], read["version"] + 1)
        self.ukraine.refresh_from_db()
        self.assertEqual(self.ukraine.summary, "Edited by someone else.")
        r = self.client.patch(
            self._detail(self.ukraine),
            {"summary": "Mine.", "version": self.ukraine.version, "change_reason": "x"},
            format="json",
        )
        self.assertEqual(r.status_code, status.HTTP_200_OK, r.content)
        self.assertEqual(r.json()["version"], read["version"] + 2)
