import xml.etree.ElementTree as ET

from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident
from tests.public import PublicCast, add_incidents, count_queries

ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(response):
    root = ET.fromstring(response.content)
    return root, root.findall(f"{ATOM}entry")


class IncidentFeedTests(PublicCast):
    url = reverse("incidents:feed")

    def test_it_is_atom_newest_published_first(self):
        Incident.objects.filter(pk=self.october_attack.pk).update(
            published_at=timezone.now() + timezone.timedelta(hours=1)
        )
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r["Content-Type"].startswith("application/atom+xml"))
        root, entries = _entries(r)
        links = [e.find(f"{ATOM}link").get("href") for e in entries]
        self.assertEqual(
            links[0], f"http://testserver{self.october_attack.get_absolute_url()}"
        )
        self.assertEqual(len(entries), 4)
        self.assertNoUnpublished(r.content)

    def test_entries_have_escaped_summaries_and_retraction_titles(self):
        Incident.objects.filter(pk=self.kharkiv_attack.pk).update(
            summary="<script>alert(1)</script>"
        )
        r = self.client.get(self.url)
        _root, entries = _entries(r)
        titles = [e.find(f"{ATOM}title").text for e in entries]
        self.assertIn("Retracted: 2024-09-05: Russia → Ukraine", titles)
        summaries = " ".join(e.find(f"{ATOM}summary").text for e in entries)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", summaries)
        self.assertIn("<p>Places: Ramenskoye</p>", summaries)

    def test_it_honours_the_list_filters(self):
        r = self.client.get(self.url, {"location": "Ramenskoïe"})
        root, entries = _entries(r)
        self.assertEqual(len(entries), 1)
        self.assertIn(self.moscow_attack.public_id, entries[0].find(f"{ATOM}id").text)
        alternate = root.find(f"{ATOM}link[@rel='alternate']").get("href")
        self.assertEqual(alternate, "http://testserver/?location=Ramensko%C3%AFe")

    def test_bad_filter_is_400(self):
        r = self.client.get(self.url, {"side": "nowhere"})
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "Select a valid choice.", status_code=400)

    def test_query_count_is_fixed(self):
        add_incidents(1, self.kharkiv, self.shahed)
        few = count_queries(self.client, self.url)
        add_incidents(25, self.kharkiv, self.shahed)
        many = count_queries(self.client, self.url)
        self.assertEqual(few, many)
        # Entries, their places, their weapon lines.
        self.assertEqual(many, 3)
