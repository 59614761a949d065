from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.models import Incident, IncidentLocation, Source
from tests.factories import (
    make_incident,
    make_location,
    make_user,
    make_weapon,
)

ADD_URL = reverse("admin:incidents_incident_add")
CHANGELIST_URL = reverse("admin:incidents_incident_changelist")


def incident_form_data(**overrides):
    """POST data for the incident add form, inlines included (empty by default)."""
    data = {
        "started_at_0": "2024-11-09",
        "started_at_1": "20:00",
        "ended_at_0": "2024-11-10",
        "ended_at_1": "09:30",
        "time_precision": "minute",
        "attacker": "RU",
        "target_country": "UA",
        "attribution": "attributed",
        "drones_launched": "145",
        "drones_intercepted": "62",
        "summary": "Night attack.",
        "status": "draft",
    }
    for prefix in ("incident_locations", "weapon_lines", "sources"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(overrides)
    return data


class IncidentAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("editor", superuser=True)
        cls.ramenskoye = make_location(
            "Ramenskoye", alternate_names=["Ramenskoïe", "Раменское", "Ramenskoe"]
        )
        cls.domodedovo = make_location(
            "Domodedovo", alternate_names=["Домодедово", "DME"]
        )
        cls.moscow_incident = make_incident(
            attacker="ZZ",
            target_country="RU",
            attribution="unclaimed",
            drones_launched=None,
            drones_intercepted=34,
            summary="Drones downed over Moscow oblast.",
            places=[(cls.ramenskoye, "interception"), (cls.domodedovo, "interception")],
        )
        cls.ukraine_incident = make_incident(summary="145 drones at Ukraine.")

    def setUp(self):
        self.client.force_login(self.editor)

    def test_changelist_shows_columns(self):
        r = self.client.get(CHANGELIST_URL)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Ramenskoye, Domodedovo")
        self.assertContains(r, "43%")  # 62 / 145
        self.assertContains(r, self.moscow_incident.public_id)

    def test_search_finds_the_moscow_incident_by_any_spelling(self):
        for term in ["Ramenskoïe", "Ramenskoye", "Раменское", "домодедово"]:
            with self.subTest(term=term):
                r = self.client.get(CHANGELIST_URL, {"q": term})
                self.assertEqual(r.status_code, 200)
                self.assertEqual(
                    list(r.context["cl"].result_list), [self.moscow_incident]
                )

    def test_search_still_matches_summaries(self):
        r = self.client.get(CHANGELIST_URL, {"q": "145 drones"})
        self.assertEqual(list(r.context["cl"].result_list), [self.ukraine_incident])

    def test_filters_by_side_status_and_place(self):
        r = self.client.get(CHANGELIST_URL, {"attacker__exact": "ZZ"})
        self.assertEqual(list(r.context["cl"].result_list), [self.moscow_incident])
        r = self.client.get(CHANGELIST_URL, {"location": self.domodedovo.slug})
        self.assertEqual(list(r.context["cl"].result_list), [self.moscow_incident])

    def test_changelist_query_count_does_not_grow_with_rows(self):
        def count_queries():
            with CaptureQueriesContext(connection) as ctx:
                r = self.client.get(CHANGELIST_URL)
            self.assertEqual(r.status_code, 200)
            return len(ctx.captured_queries)

        few = count_queries()
        for _ in range(20):
            make_incident(places=[self.ramenskoye, self.domodedovo])
        self.assertEqual(count_queries(), few)

    def test_add_and_change_forms_render(self):
        self.assertEqual(self.client.get(ADD_URL).status_code, 200)
        url = reverse("admin:incidents_incident_change", args=[self.moscow_incident.pk])
        r = self.client.get(url)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, self.moscow_incident.public_id)

    def test_add_form_saves_an_incident_with_places_and_sources(self):
        data = incident_form_data(
            **{
                "incident_locations-TOTAL_FORMS": "1",
                "incident_locations-0-location": str(self.ramenskoye.pk),
                "incident_locations-0-role": "interception",
                "sources-TOTAL_FORMS": "1",
                "sources-0-claimant": "Russian Ministry of Defence",
                "sources-0-publisher": "TASS",
                "sources-0-url": "https://example.org/mod",
            }
        )
        r = self.client.post(ADD_URL, data)
        self.assertEqual(r.status_code, 302, r.context and r.context.get("errors"))
        incident = Incident.objects.get(summary="Night attack.")
        self.assertEqual(incident.created_by, self.editor)
        self.assertEqual(incident.updated_by, self.editor)
        self.assertEqual(incident.status, Incident.Status.DRAFT)
        self.assertEqual(
            list(incident.incident_locations.values_list("location__name", "role")),
            [("Ramenskoye", "interception")],
        )
        self.assertEqual(incident.sources.get().claimant, "Russian Ministry of Defence")

    def test_bad_values_get_field_errors_not_a_500(self):
        cases = {
            "drones_intercepted": {"drones_launched": "10", "drones_intercepted": "11"},
            "drones_launched": {"drones_launched": "-3"},
            "ended_at": {"ended_at_0": "2024-11-08"},
        }
        for field, overrides in cases.items():
            with self.subTest(field=field):
                before = Incident.objects.count()
                r = self.client.post(ADD_URL, incident_form_data(**overrides))
                self.assertEqual(r.status_code, 200)
                self.assertIn(field, r.context["adminform"].form.errors)
                self.assertEqual(Incident.objects.count(), before)

    def test_weapon_lines_fill_blank_totals(self):
        shahed = make_weapon()
        data = incident_form_data(
            drones_launched="",
            drones_intercepted="",
            **{
                "weapon_lines-TOTAL_FORMS": "1",
                "weapon_lines-0-weapon": str(shahed.pk),
                "weapon_lines-0-launched": "145",
                "weapon_lines-0-intercepted": "62",
            },
        )
        r = self.client.post(ADD_URL, data)
        self.assertEqual(r.status_code, 302)
        incident = Incident.objects.get(summary="Night attack.")
        self.assertEqual(
            (incident.drones_launched, incident.drones_intercepted), (145, 62)
        )

    def test_totals_that_disagree_with_weapon_lines_are_refused(self):
        shahed = make_weapon()
        data = incident_form_data(
            drones_launched="150",
            **{
                "weapon_lines-TOTAL_FORMS": "1",
                "weapon_lines-0-weapon": str(shahed.pk),
                "weapon_lines-0-launched": "145",
                "weapon_lines-0-intercepted": "62",
            },
        )
        before = Incident.objects.count()
        r = self.client.post(ADD_URL, data)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "add up to 145")
        self.assertEqual(Incident.objects.count(), before)

    def test_a_line_with_more_intercepted_than_launched_is_a_form_error(self):
        shahed = make_weapon()
        data = incident_form_data(
            drones_launched="",
            drones_intercepted="",
            **{
                "weapon_lines-TOTAL_FORMS": "1",
                "weapon_lines-0-weapon": str(shahed.pk),
                "weapon_lines-0-launched": "5",
                "weapon_lines-0-intercepted": "6",
            },
        )
        r = self.client.post(ADD_URL, data)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Intercepted cannot exceed launched.")

    def test_publish_and_unpublish_actions(self):
        draft = make_incident(status=Incident.Status.DRAFT)
        self.client.post(
            CHANGELIST_URL,
            {"action": "submit_for_review", "_selected_action": [draft.pk]},
        )
        draft.refresh_from_db()
        self.assertEqual(draft.status, Incident.Status.IN_REVIEW)
        r = self.client.post(
            CHANGELIST_URL,
            {"action": "publish", "_selected_action": [draft.pk]},
        )
        self.assertEqual(r.status_code, 302)
        draft.refresh_from_db()
        self.assertEqual(draft.status, Incident.Status.PUBLISHED)
        self.assertIsNotNone(draft.published_at)
        self.client.post(
            CHANGELIST_URL,
            {"action": "unpublish", "_selected_action": [draft.pk]},
        )
        draft.refresh_from_db()
        self.assertEqual(draft.status, Incident.Status.DRAFT)

    def test_audit_fields_are_read_only(self):
        r = self.client.get(
            reverse("admin:incidents_incident_change", args=[self.ukraine_incident.pk])
        )
        form_fields = r.context["adminform"].form.fields
        for field in ("public_id", "created_by", "updated_at", "published_at"):
            self.assertNotIn(field, form_fields)


class LocationAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("editor", superuser=True)
        cls.ramenskoye = make_location(
            "Ramenskoye", alternate_names=["Ramenskoïe", "Раменское"]
        )

    def setUp(self):
        self.client.force_login(self.editor)

    def test_autocomplete_matches_any_spelling(self):
        r = self.client.get(
            reverse("admin:autocomplete"),
            {
                "term": "Раменское",
                "app_label": "incidents",
                "model_name": "incidentlocation",
                "field_name": "location",
            },
        )
        self.assertEqual(r.status_code, 200)
        self.assertEqual(
            [row["id"] for row in r.json()["results"]], [str(self.ramenskoye.pk)]
        )

    def test_alternate_names_are_edited_one_per_line(self):
        url = reverse("admin:incidents_location_add")
        r = self.client.post(
            url,
            {
                "name": "Domodedovo",
                "slug": "domodedovo-ru",
                "alternate_names": "Домодедово\nDME\n\nDME",
                "region": "Moscow Oblast",
                "country": "RU",
                "kind": "airport",
                "latitude": "55.40880",
                "longitude": "37.90630",
            },
        )
        self.assertEqual(r.status_code, 302)
        place = IncidentLocation._meta.get_field("location").related_model.objects.get(
            slug="domodedovo-ru"
        )
        self.assertEqual(place.alternate_names, ["Домодедово", "DME"])

    def test_out_of_range_coordinates_are_a_form_error(self):
        r = self.client.post(
            reverse("admin:incidents_location_add"),
            {
                "name": "X",
                "slug": "x",
                "country": "RU",
                "kind": "settlement",
                "latitude": "95",
                "longitude": "10",
            },
        )
        self.assertEqual(r.status_code, 200)
        self.assertIn("latitude", r.context["adminform"].form.errors)
        self.assertEqual(Source.objects.count(), 0)
