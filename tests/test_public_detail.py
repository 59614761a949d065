import json

import time_machine

from incidents.models import Incident
from tests.factories import kyiv, make_source
from tests.public import PublicCast, add_incidents, count_queries


class IncidentDetailTests(PublicCast):
    def test_it_shows_every_field(self):
        r = self.client.get(self.kharkiv_attack.get_absolute_url())
        self.assertEqual(r.status_code, 200)
        for text in (
            "<h1>Russia → Ukraine</h1>",
            "Overnight drone attack on Kharkiv.",
            "<dd>145</dd>",
            "<dd>62</dd>",
            "<dd>43%</dd>",
            "attributed by the target",
            "<dd>published</dd>",
            "Last updated",
            "First published",
            f"<code>{self.kharkiv_attack.public_id}</code>",
            "(Europe/Kyiv time; to the minute)",
        ):
            self.assertContains(r, text)

    def test_weapon_breakdown_table(self):
        r = self.client.get(self.kharkiv_attack.get_absolute_url())
        self.assertContains(
            r,
            '<tr><th scope="row">Shahed-136/131</th><td>attack drone</td>'
            '<td class="num">145</td><td class="num">62</td></tr>',
            html=True,
        )

    def test_every_source_with_claimant_link_and_quoted_claim(self):
        make_source(
            self.moscow_attack,
            claimant="Moscow region governor",
            url="",
            title="",
            publisher="Local radio",
            claim="Debris fell on a house.",
        )
        r = self.client.get(self.moscow_attack.get_absolute_url())
        self.assertContains(r, "<strong>Russian Ministry of Defence</strong>")
        self.assertContains(r, '<a href="https://example.org/mod" rel="noopener')
        self.assertContains(
            r,
            '<blockquote cite="https://example.org/mod" lang="en">'
            "34 Ukrainian drones destroyed.</blockquote>",
        )
        self.assertContains(r, "<strong>Moscow region governor</strong>")
        self.assertContains(r, "Debris fell on a house.")

    def test_places_map_data_and_list(self):
        r = self.client.get(self.october_attack.get_absolute_url())
        data = json.loads(
            r.content.decode()
            .split('id="map-places" type="application/json">')[1]
            .split("</script>")[0]
        )
        # The unmapped place is listed but has no marker.
        self.assertEqual([p["name"] for p in data], ["Kharkiv"])
        self.assertAlmostEqual(data[0]["lat"], 49.98081)
        self.assertEqual(data[0]["url"], self.kharkiv.get_absolute_url())
        self.assertContains(r, f'href="{self.unmapped.get_absolute_url()}"')
        self.assertContains(r, "leaflet/leaflet.js")
        self.assertContains(r, "incidents/map.js")

    @time_machine.travel(kyiv(2025, 3, 4, 12, 0))
    def test_cite_this_block(self):
        r = self.client.get(self.kharkiv_attack.get_absolute_url())
        url = f"http://testserver/incidents/{self.kharkiv_attack.public_id}/"
        self.assertContains(r, f'<a href="{url}">{url}</a>')
        self.assertContains(r, "<dd>March 4, 2025</dd>")
        self.assertContains(
            r,
            f'"2024-11-09: Russia → Ukraine", Drone-strike incident '
            f"tracker, {url} (accessed March 4, 2025).</textarea>",
        )

    def test_retracted_incident_stays_with_a_note(self):
        r = self.client.get(self.retracted.get_absolute_url())
        self.assertContains(r, "This incident was retracted.")

    def test_drafts_and_unknown_ids_are_404(self):
        for incident in (self.draft, self.in_review):
            with self.subTest(incident.status):
                r = self.client.get(incident.get_absolute_url())
                self.assertEqual(r.status_code, 404)
                self.assertNoUnpublished(r.content)
        self.assertEqual(self.client.get("/incidents/nope/").status_code, 404)

    def test_query_count_is_fixed(self):
        add_incidents(1, self.kharkiv, self.shahed)
        incident = Incident.objects.get(summary="Bulk incident 0")
        few = count_queries(self.client, incident.get_absolute_url())
        for _ in range(10):
            make_source(incident)
        self.assertEqual(count_queries(self.client, incident.get_absolute_url()), few)
        # The incident, its places, weapon lines and sources (4), then the
        # corrections section: the history of the incident and of its places,
        # weapon lines and sources, and the names those refer to (7).
        self.assertEqual(few, 11)
