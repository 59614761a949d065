from django.urls import reverse

from tests.public import PublicCast, add_incidents, count_queries


class LocationPageTests(PublicCast):
    def test_it_shows_the_place_names_region_country_and_map(self):
        r = self.client.get(self.ramenskoye.get_absolute_url())
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "<h1>Ramenskoye</h1>")
        self.assertContains(r, "<li>Ramenskoïe</li>")
        self.assertContains(r, "<li>Раменское</li>")
        self.assertContains(r, "<dd>Moscow Oblast</dd>")
        self.assertContains(r, "<dd>Russia</dd>")
        self.assertContains(r, 'id="map-places"')
        self.assertContains(r, "55.56341")

    def test_it_lists_public_incidents_there_only(self):
        r = self.client.get(self.kharkiv.get_absolute_url())
        self.assertEqual(
            [i.public_id for i in r.context["incidents"]],
            [
                self.kharkiv_attack.public_id,
                self.october_attack.public_id,
                self.retracted.public_id,
            ],
        )
        self.assertNoUnpublished(r.content)

    def test_place_with_only_drafts_has_an_empty_state(self):
        from tests.factories import make_incident, make_location

        lonely = make_location("Lonely", latitude=None, longitude=None)
        make_incident(status="draft", places=[lonely], summary="SECRET DRAFT text")
        r = self.client.get(lonely.get_absolute_url())
        self.assertContains(r, "No published incident here yet.")
        self.assertNotContains(r, "SECRET DRAFT")
        self.assertNotContains(r, 'id="map-places"')

    def test_unknown_place_is_404(self):
        r = self.client.get(reverse("incidents:location", args=["atlantis"]))
        self.assertEqual(r.status_code, 404)

    def test_query_count_is_fixed(self):
        add_incidents(2, self.kharkiv, self.shahed)  # 5 public at Kharkiv
        few = count_queries(self.client, self.kharkiv.get_absolute_url())
        add_incidents(25, self.kharkiv, self.shahed)  # 30
        many = count_queries(self.client, self.kharkiv.get_absolute_url())
        self.assertEqual(few, many)
        # The place, a page of incidents, their places, their weapon lines.
        self.assertEqual(many, 4)
