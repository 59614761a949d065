import re

from django.urls import reverse

from tests.public import PublicCast, add_incidents, count_queries


class StatsPageTests(PublicCast):
    url = reverse("incidents:stats")

    def test_default_is_weekly_with_svg_chart_and_table(self):
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.context["period"], "week")
        self.assertContains(r, '<option value="week" selected>week</option>')
        html = r.content.decode()
        self.assertIn('<svg viewBox="0 0 800 300" role="img"', html)
        # One launched and one intercepted bar per week with incidents.
        weeks = len(r.context["series"])
        self.assertEqual(weeks, 3)  # 9 and 10 Nov share a week
        self.assertEqual(html.count('<rect class="launched"'), weeks)
        self.assertEqual(html.count('<rect class="intercepted"'), weeks)
        self.assertIn('<polyline class="rate-line"', html)
        self.assertIn("Figures per period (the data behind both charts)", html)
        self.assertNoUnpublished(html)

    def test_period_is_switchable(self):
        days = self.client.get(self.url, {"period": "day"})
        self.assertEqual(
            [row["label"] for row in days.context["series"]],
            ["09/05/2024", "10/01/2024", "11/09/2024", "11/10/2024"],
        )
        months = self.client.get(self.url, {"period": "month"})
        self.assertEqual(
            [
                (r["label"], r["drones_launched"], r["drones_intercepted"])
                for r in months.context["series"]
            ],
            [
                ("September 2024", 3, 1),
                ("October 2024", 20, 20),
                ("November 2024", 145, 96),
            ],
        )
        self.assertContains(months, 'aria-current="true" class="current">month')

    def test_totals_by_side_and_by_weapon_follow_the_filter(self):
        r = self.client.get(self.url, {"side": "RU", "period": "month"})
        self.assertEqual(r.context["totals"]["incidents"], 3)
        self.assertEqual(
            [(s["attacker"], s["drones_launched"]) for s in r.context["sides"]],
            [("RU", 168)],
        )
        self.assertEqual(
            [(w["weapon"], w["launched"]) for w in r.context["weapons"]],
            [("Shahed-136/131", 145), ("Lancet", 20)],
        )
        everyone = self.client.get(self.url)
        self.assertEqual(
            [s["attacker"] for s in everyone.context["sides"]], ["RU", "ZZ"]
        )
        self.assertContains(everyone, '<th scope="row"><a href="?side=ZZ">Unknown</a>')

    def test_bar_heights_are_proportional(self):
        r = self.client.get(self.url, {"period": "month"})
        html = r.content.decode()
        heights = [
            float(h)
            for h in re.findall(r'<rect class="launched"[^>]* height="([\d.]+)"', html)
        ]
        # 3, 20 and 145 drones on a 0-200 axis of 248 px.
        self.assertEqual(heights, [3.72, 24.8, 179.8])

    def test_bad_period_or_filter_is_400(self):
        r = self.client.get(self.url, {"period": "year", "side": "mars"})
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "Select a valid choice. year", status_code=400)
        self.assertContains(r, "Select a valid choice. MARS", status_code=400)
        self.assertNotContains(r, "<svg", status_code=400)

    def test_empty_state(self):
        r = self.client.get(self.url, {"location": "Atlantis"})
        self.assertContains(r, "No published incident matches this filter.")
        self.assertNotContains(r, "<svg")

    def test_query_count_is_fixed(self):
        add_incidents(1, self.kharkiv, self.shahed)
        few = count_queries(self.client, self.url + "?period=day")
        add_incidents(25, self.kharkiv, self.shahed)
        many = count_queries(self.client, self.url + "?period=day")
        self.assertEqual(few, many)
        # Series, totals, per side, per weapon.
        self.assertEqual(many, 4)
