import datetime as dt

from django.contrib.auth.models import Permission
from django.test import TestCase
from django.urls import reverse

from incidents.models import Incident, IncidentLocation, Source, WeaponLine
from tests.factories import kyiv, make_user
from tests.test_extraction import SEED_ARTICLE, make_places, make_weapons

EXTRACT_URL = reverse("admin:incidents_incident_extract")
CHANGELIST_URL = reverse("admin:incidents_incident_changelist")
SHAHED_REPORT = (
    "Overnight, Russia launched 80 Shahed drones at Ukraine. Air defence shot "
    "down 64 of them over Kyiv, the Ukrainian Air Force said."
)


def review_data(response):
    """What the browser posts back from the review page, unchanged."""
    data = {"_save": "1"}
    for name in response.context["article"].fields:
        value = response.context["article"][name].value()
        data[name] = "" if value is None else str(value)
    for form in response.context["drafts"]:
        for bound in form:
            value = bound.value()
            if isinstance(value, dt.datetime):
                value = value.strftime("%Y-%m-%dT%H:%M")
            if value is None or value is False:
                continue
            data[bound.html_name] = "on" if value is True else value
    return data


class IncidentFromArticleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_places()
        make_weapons()
        cls.editor = make_user("editor", superuser=True)

    def setUp(self):
        self.client.force_login(self.editor)

    def propose(self, text=None, **fields):
        data = {
            "text": text or SEED_ARTICLE.read_text(encoding="utf-8"),
            "publisher": "Matin.info",
            "published_on": "2024-11-10",
            "_extract": "1",
            **fields,
        }
        return self.client.post(EXTRACT_URL, data)

    def test_the_changelist_links_to_the_page(self):
        r = self.client.get(CHANGELIST_URL)
        self.assertContains(r, EXTRACT_URL)
        self.assertContains(r, "New incident from article")

    def test_it_shows_the_paste_form(self):
        r = self.client.get(EXTRACT_URL)
        self.assertContains(r, "Text of the report")
        self.assertContains(r, 'name="published_on"')

    def test_it_refuses_anonymous_visitors_and_staff_who_cannot_add(self):
        self.client.logout()
        r = self.client.get(EXTRACT_URL)
        self.assertEqual(r.status_code, 302)
        self.assertIn(reverse("admin:login"), r["Location"])
        reader = make_user("reader")
        reader.user_permissions.add(Permission.objects.get(codename="view_incident"))
        self.client.force_login(reader)
        self.assertEqual(self.client.get(EXTRACT_URL).status_code, 403)

    def test_it_rejects_an_empty_text(self):
        r = self.client.post(EXTRACT_URL, {"text": "", "_extract": "1"})
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "This field is required.", status_code=400)

    def test_it_shows_each_proposed_field_with_its_sentence(self):
        r = self.propose()
        self.assertEqual(r.status_code, 200)
        self.assertEqual(len(r.context["drafts"]), 2)
        self.assertContains(r, 'name="draft-0-drones_launched" value="145"')
        self.assertContains(r, 'name="draft-1-drones_intercepted" value="34"')
        self.assertContains(r, "neutraliser 62 de ces aéronefs")
        self.assertContains(r, "Ramenskoïe et Domodedovo")
        self.assertContains(r, "Russian authorities")
        self.assertEqual(Incident.objects.count(), 0)

    def test_it_saves_the_proposals_as_drafts(self):
        r = self.client.post(EXTRACT_URL, review_data(self.propose()))
        self.assertRedirects(r, f"{CHANGELIST_URL}?status__exact=draft")
        self.assertEqual(Incident.objects.count(), 2)
        ukraine = Incident.objects.get(target_country="UA", attacker="RU")
        moscow = Incident.objects.get(target_country="RU", attacker="ZZ")
        for incident in (ukraine, moscow):
            self.assertEqual(incident.status, Incident.Status.DRAFT)
            self.assertEqual(incident.created_by, self.editor)
            self.assertIsNone(incident.published_at)
            self.assertEqual(incident.started_at, kyiv(2024, 11, 9, 0, 0))
            self.assertEqual(incident.ended_at, kyiv(2024, 11, 10, 0, 0))
        self.assertEqual(
            (ukraine.drones_launched, ukraine.drones_intercepted), (145, 62)
        )
        self.assertEqual(
            (moscow.drones_launched, moscow.drones_intercepted), (None, 34)
        )
        self.assertEqual(moscow.attribution, Incident.Attribution.UNCLAIMED)
        self.assertEqual(
            sorted(moscow.incident_locations.values_list("location__name", "role")),
            [
                ("Domodedovo", IncidentLocation.Role.INTERCEPTION),
                ("Ramenskoye", IncidentLocation.Role.INTERCEPTION),
            ],
        )
        source = moscow.sources.get()
        self.assertEqual(source.claimant, "Russian authorities")
        self.assertEqual(source.publisher, "Matin.info")
        self.assertEqual(source.published_on, dt.date(2024, 11, 10))
        self.assertEqual(source.language, "fr")
        self.assertIn("34 drones", source.claim)

    def test_the_journalist_corrects_and_leaves_out_drafts(self):
        data = review_data(self.propose())
        data["draft-0-drones_launched"] = "150"
        data["draft-0-source_0_claimant"] = "Volodymyr Zelensky"
        del data["draft-1-include"]
        self.client.post(EXTRACT_URL, data)
        incident = Incident.objects.get()
        self.assertEqual(incident.drones_launched, 150)
        self.assertEqual(incident.sources.get().claimant, "Volodymyr Zelensky")

    def test_one_wrong_draft_saves_nothing(self):
        data = review_data(self.propose())
        data["draft-1-drones_launched"] = "10"  # fewer than the 34 intercepted
        r = self.client.post(EXTRACT_URL, data)
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "cannot exceed drones launched", status_code=400)
        self.assertEqual(Incident.objects.count(), 0)
        self.assertEqual(Source.objects.count(), 0)

    def test_a_malformed_field_saves_nothing(self):
        data = review_data(self.propose())
        data["draft-0-started_at"] = "last Tuesday"
        data["draft-1-places"] = ["999999:target"]  # not a proposed place
        r = self.client.post(EXTRACT_URL, data)
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "Enter a valid date/time.", status_code=400)
        self.assertContains(r, "Select a valid choice.", status_code=400)
        self.assertEqual(Incident.objects.count(), 0)

    def test_totals_must_agree_with_the_weapon_lines(self):
        data = review_data(self.propose(SHAHED_REPORT))
        self.assertEqual(data["draft-0-line_0_launched"], 80)
        data["draft-0-drones_launched"] = "90"
        r = self.client.post(EXTRACT_URL, data)
        self.assertContains(r, "does not match the weapon breakdown", status_code=400)
        self.assertEqual(Incident.objects.count(), 0)

    def test_weapon_lines_are_saved_and_fill_blank_totals(self):
        data = review_data(self.propose(SHAHED_REPORT))
        data["draft-0-drones_launched"] = ""
        self.client.post(EXTRACT_URL, data)
        incident = Incident.objects.get()
        line = WeaponLine.objects.get(incident=incident)
        self.assertEqual((line.weapon.name, line.launched), ("Shahed-136/131", 80))
        self.assertEqual(incident.drones_launched, 80)

    def test_a_claimant_is_required(self):
        data = review_data(self.propose(SHAHED_REPORT))
        data["draft-0-source_0_claimant"] = " "
        r = self.client.post(EXTRACT_URL, data)
        self.assertContains(r, "Say who makes this claim.", status_code=400)
        self.assertEqual(Incident.objects.count(), 0)

    def test_at_least_one_draft_must_be_ticked(self):
        data = review_data(self.propose(SHAHED_REPORT))
        del data["draft-0-include"]
        r = self.client.post(EXTRACT_URL, data)
        self.assertContains(r, "Tick at least one draft", status_code=400)

    def test_a_text_without_figures_proposes_nothing(self):
        r = self.propose("Trump and Putin spoke on the phone about Ukraine.")
        self.assertContains(r, "No drone figures were found")
        self.assertNotContains(r, 'name="_save"')
