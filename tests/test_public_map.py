import json

from django.test import override_settings
from django.urls import reverse

from tests.factories import make_location
from tests.public import PublicCast, add_incidents, count_queries


def _places(response):
    html = response.content.decode()
    return json.loads(
        html.split('id="map-places" type="application/json">')[1].split("</script>")[0]
    )


class MapPageTests(PublicCast):
    url = reverse("incidents:map")

    def test_markers_for_public_incidents_places_with_links(self):
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 200)
        places = {p["name"]: p for p in _places(r)}
        self.assertEqual(set(places), {"Kharkiv", "Ramenskoye"})
        kharkiv_links = [i["url"] for i in places["Kharkiv"]["incidents"]]
        self.assertEqual(
            kharkiv_links,
            [
                self.kharkiv_attack.get_absolute_url(),
                self.october_attack.get_absolute_url(),
                self.retracted.get_absolute_url(),
            ],
        )
        self.assertEqual(places["Ramenskoye"]["lat"], 55.56341)
        self.assertNoUnpublished(r.content)

    def test_list_alternative_below_the_map(self):
        r = self.client.get(self.url)
        self.assertContains(r, '<h2 id="map-list-heading">Places on the map</h2>')
        self.assertContains(r, f'<a href="{self.ramenskoye.get_absolute_url()}">')
        self.assertContains(r, f'<a href="{self.moscow_attack.get_absolute_url()}">')

    def test_it_honours_the_filter(self):
        r = self.client.get(self.url, {"location": "Раменское"})
        self.assertEqual([p["name"] for p in _places(r)], ["Ramenskoye"])
        r = self.client.get(self.url, {"side": "XX"})
        self.assertContains(r, "No published incident with a mapped place matches")
        self.assertNotContains(r, 'id="map-places"')

    def test_bad_filter_is_400(self):
        r = self.client.get(self.url, {"date_before": "yesterday"})
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "Enter a valid date.", status_code=400)

    def test_place_with_only_drafts_has_no_marker(self):
        secret = make_location("Secret Base", latitude="50.1", longitude="30.1")
        self.draft.incident_locations.create(location=secret)
        r = self.client.get(self.url)
        self.assertNotIn("Secret Base", [p["name"] for p in _places(r)])

    @override_settings(MAP_TILE_URL="https://tiles.example.test/{z}/{x}/{y}.png")
    def test_tile_url_comes_from_the_setting(self):
        r = self.client.get(self.url)
        self.assertContains(r, '"tiles": "https://tiles.example.test/{z}/{x}/{y}.png"')

    @override_settings(MAP_TILE_URL="")
    def test_no_tile_url_means_no_tiles_but_markers(self):
        r = self.client.get(self.url)
        self.assertContains(r, '"tiles": ""')
        self.assertEqual(len(_places(r)), 2)

    def test_an_incident_in_two_roles_at_one_place_is_listed_once(self):
        self.moscow_attack.incident_locations.create(
            location=self.ramenskoye, role="target"
        )
        r = self.client.get(self.url)
        ramenskoye = next(p for p in _places(r) if p["name"] == "Ramenskoye")
        self.assertEqual(len(ramenskoye["incidents"]), 1)
        self.assertEqual(ramenskoye["more"], 0)

    def test_popup_lists_at_most_ten_incidents_per_place(self):
        add_incidents(12, self.kharkiv, self.shahed)
        r = self.client.get(self.url)
        kharkiv = next(p for p in _places(r) if p["name"] == "Kharkiv")
        self.assertEqual(len(kharkiv["incidents"]), 10)
        self.assertEqual(kharkiv["more"], 5)
        self.assertEqual(kharkiv["more_label"], "5 more incidents here")

    def test_query_count_is_fixed(self):
        add_incidents(1, self.kharkiv, self.shahed)
        few = count_queries(self.client, self.url)
        add_incidents(25, make_location("Odesa", country="UA"), self.shahed)
        many = count_queries(self.client, self.url)
        self.assertEqual(few, many)
        # Places with their counts; the newest incidents of each place.
        self.assertEqual(many, 2)
