"""Attacks on every public surface: reading drafts, markup in text fields,
hostile query strings, oversized bodies, spreadsheet formulas in downloads and
crafted publish requests.

API routes are written as paths: some of them are moving into the router.
"""

import csv
import io
import json
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from rest_framework.authtoken.models import Token

from incidents import admin_import
from incidents.models import Incident
from tests.factories import kyiv, make_incident, make_location
from tests.test_admin import CHANGELIST_URL
from tests.test_admin_workflow import change_data, change_url
from tests.test_workflow import make_editor, make_journalist

MARK = "Zqxdraftmarker"
SINCE = {"since": "2000-01-01T00:00:00Z"}


def body_text(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


class DraftsOnEveryPublicSurfaceTests(TestCase):
    """Drafts, incidents in review and withdrawn incidents stay off every
    anonymous answer, including their corrections."""

    @classmethod
    def setUpTestData(cls):
        cls.eve = make_editor("eve")
        cls.place = make_location("Ramenskoye", slug="ramenskoye-ru")
        cls.published = make_incident(
            summary="Published attack.", places=[cls.place], drones_launched=145
        )
        hidden = {
            "places": [cls.place],
            "started_at": kyiv(2024, 11, 12, 1, 0),
            "ended_at": None,
            "drones_intercepted": 11,
            "sources": [
                {"title": f"{MARK} title", "claim": f"{MARK} claim", "claimant": MARK}
            ],
        }
        cls.draft = make_incident(
            status=Incident.Status.DRAFT,
            summary=f"{MARK} draft.",
            drones_launched=9137,
            **hidden,
        )
        cls.draft.summary = f"{MARK} draft, edited."
        cls.draft._change_reason = f"{MARK} reason"
        cls.draft.save()
        cls.review = make_incident(
            status=Incident.Status.IN_REVIEW,
            summary=f"{MARK} in review.",
            drones_launched=8243,
            **hidden,
        )
        # Published, corrected, then taken back to draft: its correction goes.
        cls.withdrawn = make_incident(
            status=Incident.Status.IN_REVIEW,
            summary="Soon withdrawn.",
            drones_launched=7351,
            **hidden,
        )
        cls.withdrawn.publish(user=cls.eve)
        cls.withdrawn.summary = f"{MARK} corrected."
        cls.withdrawn._change_reason = f"{MARK} correction reason"
        cls.withdrawn.save()
        cls.withdrawn.unpublish(user=cls.eve, reason="Under review again.")
        cls.never_published = [cls.draft.public_id, cls.review.public_id]

    SURFACES = [
        ("list page", "/", {}),
        ("list page, all rows", "/", {"ordering": "-started_at"}),
        ("search page", "/", {"q": MARK}),
        ("place page", "/places/ramenskoye-ru/", {}),
        ("map page", "/map/", {}),
        ("stats page", "/stats/", {}),
        ("feed", "/feed/", {}),
        ("csv download", "/incidents.csv", {}),
        ("corrections log", "/corrections/", {}),
        ("corrections feed", "/corrections/feed/", {}),
        ("api list", "/api/v1/incidents/", {"page_size": 500}),
        ("api search", "/api/v1/incidents/", {"q": MARK}),
        ("api csv", "/api/v1/incidents/", {"format": "csv"}),
        ("api geojson", "/api/v1/incidents/", {"format": "geojson"}),
        ("api stats", "/api/v1/stats/", {}),
        ("api locations", "/api/v1/locations/", {}),
        ("api location", "/api/v1/locations/ramenskoye-ru/", {}),
        ("api changes", "/api/v1/changes/", SINCE),
        (
            "api history of a published incident",
            "/api/v1/incidents/{published}/history/",
            {},
        ),
    ]

    def test_no_public_surface_shows_a_hidden_incident(self):
        for name, url, params in self.SURFACES:
            with self.subTest(name):
                url = url.format(published=self.published.public_id)
                r = self.client.get(url, params)
                self.assertEqual(r.status_code, 200, name)
                text = body_text(r)
                for public_id in self.never_published:
                    self.assertNotIn(public_id, text)
                if "q" not in params:  # a search box shows what was searched
                    self.assertNotIn(MARK, text)
                for figure in ("9137", "9,137", "8243", "8,243", "7351", "7,351"):
                    self.assertNotIn(figure, text)
                if name.startswith("api") and "format" not in params:
                    json.loads(text)

    def test_searching_for_the_marker_finds_nothing(self):
        r = self.client.get("/", {"q": MARK})
        self.assertEqual(list(r.context["incidents"]), [])
        r = self.client.get("/api/v1/incidents/", {"q": MARK})
        self.assertEqual(len(r.json()["results"]), 0)
        # The search itself works: it finds the published incident.
        r = self.client.get("/", {"q": "Published attack"})
        self.assertEqual(len(r.context["incidents"]), 1)
        r = self.client.get("/api/v1/incidents/", {"q": "Published attack"})
        self.assertEqual(len(r.json()["results"]), 1)

    def test_detail_pages_and_histories_of_hidden_incidents_are_not_found(self):
        for incident in (self.draft, self.review, self.withdrawn):
            for url in (
                f"/incidents/{incident.public_id}/",
                f"/api/v1/incidents/{incident.public_id}/",
                f"/api/v1/incidents/{incident.public_id}/history/",
            ):
                with self.subTest(url):
                    r = self.client.get(url)
                    self.assertEqual(r.status_code, 404)
                    self.assertNotIn(MARK, body_text(r))

    def test_totals_and_place_counts_count_published_incidents_only(self):
        stats = self.client.get("/api/v1/stats/").json()
        self.assertEqual(stats["totals"]["incidents"], 1)
        self.assertEqual(stats["totals"]["drones_launched"], 145)
        r = self.client.get("/stats/")
        self.assertContains(r, "145")
        place = self.client.get("/api/v1/locations/ramenskoye-ru/").json()
        self.assertEqual(place["incident_count"], 1)
        markers = self.client.get("/map/").context["map_places"]
        self.assertEqual(len(markers), 1)
        self.assertIn(self.published.public_id, json.dumps(markers))


XSS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
PAYLOAD = "".join(XSS)


class MarkupIsEscapedEverywhereTests(TestCase):
    """HTML/JS in every text field comes out escaped in pages and feeds, and
    as the exact same string in JSON."""

    @classmethod
    def setUpTestData(cls):
        cls.eve = make_editor("eve")
        cls.place = make_location(
            f"Place {PAYLOAD}",
            slug="xss-place",
            alternate_names=[f"Alt {PAYLOAD}", XSS[1]],
        )
        cls.incident = make_incident(
            status=Incident.Status.IN_REVIEW,
            summary=f"Summary {PAYLOAD}",
            places=[cls.place],
            sources=[
                {
                    "title": f"Title {PAYLOAD}",
                    "claim": f"Claim {PAYLOAD}",
                    "claimant": f"Claimant {PAYLOAD}",
                }
            ],
        )
        cls.incident.publish(user=cls.eve)
        cls.incident.summary = f"Corrected {PAYLOAD}"
        cls.incident._change_reason = f"Reason {PAYLOAD}"
        cls.incident.save()

    def pages(self):
        pid = self.incident.public_id
        return {
            "list": ("/", {}),
            "list, searched": ("/", {"q": PAYLOAD}),
            "list, by place": ("/", {"location": PAYLOAD}),
            "detail": (f"/incidents/{pid}/", {}),
            "place": ("/places/xss-place/", {}),
            "map": ("/map/", {}),
            "stats": ("/stats/", {}),
            "stats, searched": ("/stats/", {"q": PAYLOAD}),
            "corrections": ("/corrections/", {}),
            "feed": ("/feed/", {}),
            "corrections feed": ("/corrections/feed/", {}),
        }

    def test_pages_and_feeds_never_contain_the_raw_payload(self):
        for name, (url, params) in self.pages().items():
            with self.subTest(name):
                r = self.client.get(url, params)
                self.assertIn(r.status_code, (200, 400), name)
                text = body_text(r)
                for payload in XSS:
                    self.assertNotIn(payload, text)
                self.assertNotIn("<script>alert", text)
                self.assertNotIn("<img src=x", text)

    def test_the_payload_reaches_the_pages_escaped(self):
        """Guards the test above: the text is there, only escaped."""
        pid = self.incident.public_id
        for url in (f"/incidents/{pid}/", "/places/xss-place/", "/corrections/"):
            with self.subTest(url):
                self.assertContains(self.client.get(url), "&lt;script&gt;alert(1)")
        r = self.client.get("/map/")
        self.assertContains(r, "\\u003Cscript\\u003Ealert(1)")
        feed = body_text(self.client.get("/feed/"))
        # HTML content inside XML: escaped for HTML, then again for XML.
        self.assertIn("&amp;lt;script&amp;gt;alert(1)", feed)

    def test_the_api_returns_the_exact_strings(self):
        pid = self.incident.public_id
        detail = self.client.get(f"/api/v1/incidents/{pid}/").json()
        self.assertEqual(detail["summary"], f"Corrected {PAYLOAD}")
        [source] = detail["sources"]
        self.assertEqual(source["title"], f"Title {PAYLOAD}")
        self.assertEqual(source["claim"], f"Claim {PAYLOAD}")
        self.assertEqual(source["claimant"], f"Claimant {PAYLOAD}")
        self.assertEqual(detail["places"][0]["name"], f"Place {PAYLOAD}")
        place = self.client.get("/api/v1/locations/xss-place/").json()
        self.assertEqual(place["name"], f"Place {PAYLOAD}")
        self.assertEqual(place["alternate_names"], [f"Alt {PAYLOAD}", XSS[1]])
        geojson = json.loads(
            body_text(self.client.get("/api/v1/incidents/", {"format": "geojson"}))
        )
        [feature] = geojson["features"]
        self.assertEqual(feature["properties"]["place"], f"Place {PAYLOAD}")
        history = self.client.get(f"/api/v1/incidents/{pid}/history/").json()
        [entry] = history["results"]
        self.assertEqual(entry["new"], f"Corrected {PAYLOAD}")
        self.assertEqual(entry["reason"], f"Reason {PAYLOAD}")
        for url in (f"/api/v1/incidents/{pid}/", "/api/v1/locations/xss-place/"):
            with self.subTest(url):
                self.assertTrue(
                    self.client.get(url)["Content-Type"].startswith("application/json")
                )


HOSTILE_VALUES = {
    "sql": "' OR 1=1 --",
    "long": "9" * 10_000,
    "nul": "2024-11-09\x00' OR 1=1",
    "repeated": ["1", "' OR 1=1 --", "2024-11-09", ""],
}
FILTER_PARAMS = [
    "date_after",
    "date_before",
    "side",
    "target_country",
    "location",
    "region",
    "drone_model",
    "q",
    "min_launched",
    "updated_since",
    "ordering",
    "page_size",
    "period",
    "since",
]
LIST_ENDPOINTS = [
    "/",
    "/map/",
    "/stats/",
    "/feed/",
    "/incidents.csv",
    "/corrections/",
    "/api/v1/incidents/",
    "/api/v1/incidents/?format=csv",
    "/api/v1/incidents/?format=geojson",
    "/api/v1/stats/",
    "/api/v1/locations/",
    "/api/v1/changes/",
]


class HostileQueryParameterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.incident = make_incident(places=[make_location()])

    def test_no_filter_endpoint_answers_500(self):
        failures = []
        for url in LIST_ENDPOINTS:
            for param in FILTER_PARAMS:
                for kind, value in HOSTILE_VALUES.items():
                    # Pages drop empty values with a redirect: follow it.
                    r = self.client.get(url, {param: value}, follow=True)
                    text = body_text(r)
                    if r.status_code not in (200, 400) or "Traceback" in text:
                        failures.append((url, param, kind, r.status_code))
        self.maxDiff = None
        self.assertEqual(failures, [])
        self.assertTrue(Incident.objects.filter(pk=self.incident.pk).exists())

    def test_the_page_number_is_checked_too(self):
        for url in ("/", "/api/v1/incidents/", "/corrections/"):
            for kind, value in HOSTILE_VALUES.items():
                with self.subTest(url=url, kind=kind):
                    r = self.client.get(url, {"page": value}, follow=True)
                    # An unknown page is "not found" on the API (DRF's rule).
                    self.assertIn(r.status_code, (200, 400, 404))
                    self.assertNotIn("Traceback", body_text(r))


@override_settings(MAX_REQUEST_BODY_SIZE=4096)
class OversizedBodyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.journalist = make_journalist("alice")
        cls.token = Token.objects.create(user=cls.journalist)

    def test_api_posts_over_the_limit_answer_413_and_write_nothing(self):
        big = json.dumps({"summary": "x" * 8000, "attacker": "RU"})
        before = Incident.objects.count()
        for url in ("/api/v1/incidents/", "/api/v1/extract/"):
            for headers in ({}, {"HTTP_AUTHORIZATION": f"Token {self.token.key}"}):
                with self.subTest(url=url, auth=bool(headers)):
                    r = self.client.post(
                        url, big, content_type="application/json", **headers
                    )
                    self.assertEqual(r.status_code, 413)
                    self.assertNotIn("Traceback", body_text(r))
        self.assertEqual(Incident.objects.count(), before)

    def test_a_body_just_under_the_limit_is_read(self):
        small = json.dumps({"summary": "x" * 100})
        r = self.client.post(
            "/api/v1/incidents/",
            small,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {self.token.key}",
        )
        self.assertEqual(r.status_code, 400)  # read and validated, not refused
        self.assertIn("started_at", r.json())


class ImportUploadLimitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.eve = make_editor("eve")

    def setUp(self):
        self.client.force_login(self.eve)

    def upload(self, size):
        data = b"a,b\n" + b"1,2\n" * (size // 4)
        return self.client.post(
            reverse("admin:incidents_incident_import"),
            {"file": SimpleUploadedFile("big.csv", data), "status": "draft"},
        )

    def test_a_file_over_the_import_limit_gets_a_form_error(self):
        with mock.patch.object(admin_import, "MAX_UPLOAD_BYTES", 2048):
            r = self.upload(8192)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "the limit is")
        self.assertFalse(Incident.objects.exists())

    @override_settings(MAX_REQUEST_BODY_SIZE=300_000)
    def test_the_import_limit_never_exceeds_the_request_limit(self):
        """A file the form says it accepts must not meet a bare 413."""
        r = self.client.get(reverse("admin:incidents_incident_import"))
        self.assertNotContains(r, "at most 20 MB")
        r = self.upload(260_000)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "limit")
        r = self.upload(400_000)
        self.assertEqual(r.status_code, 413)
        self.assertFalse(Incident.objects.exists())


FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"]


class CsvFormulaTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for n, formula in enumerate(FORMULAS):
            make_incident(
                started_at=kyiv(2024, 11, 1 + n, 20, 0),
                ended_at=None,
                summary=formula,
                places=[make_location(formula, slug=f"formula-{n}")],
                sources=[{"claimant": formula, "title": formula}],
            )

    def rows(self, response):
        self.assertEqual(response.status_code, 200)
        return list(csv.reader(io.StringIO(body_text(response))))

    def test_no_cell_starts_with_a_formula_character(self):
        for name, r in (
            ("public", self.client.get("/incidents.csv")),
            ("api", self.client.get("/api/v1/incidents/", {"format": "csv"})),
        ):
            with self.subTest(name):
                rows = self.rows(r)
                self.assertEqual(len(rows), 1 + len(FORMULAS))
                cells = [cell for row in rows[1:] for cell in row]
                for cell in cells:
                    self.assertFalse(cell[:1] in ("=", "+", "-", "@"), cell)
                # The text is kept, behind a quote mark.
                for formula in FORMULAS:
                    self.assertTrue(
                        any(cell.startswith("'" + formula) for cell in cells),
                        (name, formula),
                    )


class CraftedPublishTests(TestCase):
    """Nobody but an editor publishes, whatever they POST."""

    @classmethod
    def setUpTestData(cls):
        cls.alice = make_journalist("alice")
        cls.token = Token.objects.create(user=cls.alice)

    def setUp(self):
        self.incident = make_incident(
            status=Incident.Status.IN_REVIEW, created_by=self.alice
        )

    def assert_not_published(self):
        self.incident.refresh_from_db()
        self.assertEqual(self.incident.status, Incident.Status.IN_REVIEW)
        self.assertIsNone(self.incident.published_at)

    def test_anonymous_changelist_actions_and_form_posts(self):
        for action in ("publish", "retract", "unpublish"):
            r = self.client.post(
                CHANGELIST_URL,
                {"action": action, "_selected_action": [self.incident.pk]},
            )
            self.assertEqual(r.status_code, 302)
            self.assertIn(reverse("admin:login"), r["Location"])
        r = self.client.post(
            change_url(self.incident), change_data(self.incident, status="published")
        )
        self.assertIn(reverse("admin:login"), r["Location"])
        self.assert_not_published()

    def test_journalist_actions_with_select_across_and_forged_status(self):
        self.client.force_login(self.alice)
        self.client.post(
            CHANGELIST_URL,
            {
                "action": "publish",
                "select_across": "1",
                "index": "0",
                "_selected_action": [self.incident.pk],
            },
        )
        self.assert_not_published()
        for extra in (
            {"status": "published"},
            {"status": "published", "published_at_0": "2024-11-10"},
            {"status": "retracted", "retraction_reason": "x"},
        ):
            with self.subTest(extra=extra):
                self.client.post(
                    change_url(self.incident), change_data(self.incident, **extra)
                )
                self.assert_not_published()

    def test_anonymous_and_journalist_api_writes_cannot_publish(self):
        url = f"/api/v1/incidents/{self.incident.public_id}/"
        body = {"status": "published", "version": self.incident.version}
        r = self.client.patch(url, body, content_type="application/json")
        self.assertIn(r.status_code, (401, 403))
        r = self.client.patch(
            url,
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {self.token.key}",
        )
        self.assertIn(r.status_code, (200, 400, 403))
        self.assert_not_published()
