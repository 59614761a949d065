import os
import subprocess
import sys
from pathlib import Path

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import OperationalError
from django.test import RequestFactory, TestCase, override_settings
from django.urls import reverse

from config.security import tile_origin
from incidents.middleware import DatabaseUnavailableMiddleware, server_error
from incidents.models import Incident
from tests.factories import make_incident, make_location, make_source, make_user

ROOT = Path(__file__).resolve().parent.parent
LOGIN_URL = reverse("admin:login")
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
XSS_ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


class LoginLockoutTests(TestCase):
    def login(self, password):
        return self.client.post(
            LOGIN_URL,
            {"username": "alice", "password": password, "next": "/admin/"},
            REMOTE_ADDR="203.0.113.5",
        )

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_repeated_failures_lock_the_account_out(self):
        make_user("alice")
        for _ in range(2):
            self.assertEqual(self.login("wrong").status_code, 200)
        r = self.login("wrong")
        self.assertEqual(r.status_code, 429)
        # Even the right password is refused while locked out.
        r = self.login("correct horse battery staple")
        self.assertEqual(r.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_a_success_before_the_limit_logs_in(self):
        make_user("alice")
        self.login("wrong")
        r = self.login("correct horse battery staple")
        self.assertEqual(r.status_code, 302)
        self.assertIn("_auth_user_id", self.client.session)


class PasswordPolicyTests(TestCase):
    def test_weak_passwords_are_refused(self):
        user = make_user("marianne")
        for weak in ("short1", "password1234", "123456789012", "marianne2024x"):
            with self.subTest(weak=weak), self.assertRaises(ValidationError):
                validate_password(weak, user)
        validate_password("correct horse battery staple", user)


class HeaderTests(TestCase):
    def test_pages_send_csp_frame_and_referrer_headers(self):
        make_incident()
        for url in ("/", reverse("incidents:corrections"), LOGIN_URL):
            with self.subTest(url=url):
                r = self.client.get(url)
                self.assertEqual(r.status_code, 200)
                csp = r["Content-Security-Policy"]
                self.assertIn("default-src 'self'", csp)
                self.assertIn("script-src 'self'", csp)
                self.assertNotIn("unsafe-inline", csp)
                self.assertIn("frame-ancestors 'none'", csp)
                self.assertIn(
                    "img-src 'self' data: https://tile.openstreetmap.org", csp
                )
                self.assertEqual(r["X-Frame-Options"], "DENY")
                self.assertEqual(r["Referrer-Policy"], "same-origin")
                self.assertEqual(r["X-Content-Type-Options"], "nosniff")

    def test_api_answers_send_a_policy_that_allows_nothing(self):
        make_incident()
        urls = [
            "/api/v1/incidents/",
            "/api/v1/incidents/",  # the cached copy
            "/api/v1/incidents/?format=csv",
            "/api/v1/stats/",
            "/api/v1/incidents/nosuchid/",
        ]
        for url in urls:
            with self.subTest(url=url):
                r = self.client.get(url)
                self.assertEqual(
                    r["Content-Security-Policy"],
                    "default-src 'none'; frame-ancestors 'none'",
                )
                self.assertEqual(r["X-Content-Type-Options"], "nosniff")
        # The API's documentation is a page: it keeps the page policy.
        docs = self.client.get(reverse("api-docs"))["Content-Security-Policy"]
        self.assertIn("script-src 'self'", docs)

    def test_tile_origin_comes_from_the_tile_url(self):
        self.assertEqual(
            tile_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png"),
            "https://*.tile.example.org",
        )
        self.assertEqual(
            tile_origin("http://tiles.local:8080/{z}/{x}/{y}.png"),
            "http://tiles.local:8080",
        )
        self.assertIsNone(tile_origin(""))
        self.assertIsNone(tile_origin("/tiles/{z}/{x}/{y}.png"))
        with self.assertRaises(ImproperlyConfigured):
            tile_origin("ftp://tiles.example.org/{z}/{x}/{y}.png")


def _settings_value(expr, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(env)
    result = subprocess.run(
        [sys.executable, "-c", f"import config.settings as s; print({expr})"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


class CookieSettingsTests(TestCase):
    expr = "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE"

    def test_cookies_are_secure_in_production(self):
        value = _settings_value(self.expr, DJANGO_SECRET_KEY="k", DJANGO_DEBUG="false")
        self.assertEqual(value, "True True")

    def test_cookies_are_plain_in_development(self):
        self.assertEqual(_settings_value(self.expr, DJANGO_DEBUG="true"), "False False")


class EscapingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.place = make_location(name=f"Kyiv {XSS}")
        cls.incident = make_incident(summary=f"Summary {XSS}", places=[cls.place])
        make_source(cls.incident, title=f"Title {XSS}", publisher=XSS)
        cls.incident.summary = f"Corrected {XSS}"
        cls.incident._change_reason = f"Reason {XSS}"
        cls.incident.save()

    def assert_escaped(self, r):
        self.assertEqual(r.status_code, 200)
        self.assertNotContains(r, "<script>alert")
        self.assertNotContains(r, "<img src=x")
        self.assertContains(r, XSS_ESCAPED)

    def test_public_pages_escape_text_fields(self):
        for url in (
            "/",
            self.incident.get_absolute_url(),
            self.place.get_absolute_url(),
            reverse("incidents:corrections"),
        ):
            with self.subTest(url=url):
                self.assert_escaped(self.client.get(url))

    def test_admin_escapes_text_fields(self):
        self.client.force_login(make_user(superuser=True))
        for url in (
            reverse("admin:incidents_incident_changelist"),
            reverse("admin:incidents_incident_change", args=[self.incident.pk]),
            reverse("admin:incidents_location_changelist"),
        ):
            with self.subTest(url=url):
                r = self.client.get(url)
                self.assertEqual(r.status_code, 200)
                self.assertNotContains(r, "<script>alert")
                self.assertNotContains(r, "<img src=x")

    def test_feed_and_json_escape_text_fields(self):
        r = self.client.get(reverse("incidents:corrections-feed"))
        self.assertEqual(r.status_code, 200)
        self.assertNotIn(b"<script>", r.content)
        r = self.client.get(
            reverse("api:incident-history", args=[self.incident.public_id])
        )
        self.assertEqual(r.status_code, 200)
        # JSON carries the text as data; as HTML it would not run.
        self.assertEqual(r["Content-Type"], "application/json")
        self.assertIn(XSS, r.json()["results"][0]["reason"])


class HostileInputTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.incident = make_incident()

    def test_sql_ish_and_oversized_query_parameters_get_clean_answers(self):
        params = [
            {"q": "' OR 1=1 --"},
            {"q": "1; DROP TABLE incidents_incident;"},
            {"page": "1' OR '1'='1"},
            {"page": "99999999999999999999"},
            {"ordering": "-started_at; DELETE"},
            {"q": "x" * 20_000},
            {"location": "\x00"},
        ]
        for query in params:
            with self.subTest(query=str(query)[:60]):
                r = self.client.get("/", query)
                self.assertIn(r.status_code, (200, 400, 404))
                self.assertNotContains(r, "Traceback", status_code=r.status_code)
        self.assertTrue(Incident.objects.filter(pk=self.incident.pk).exists())

    def test_an_oversized_body_is_refused_with_413(self):
        big = b"x" * (11 * 1024 * 1024)
        r = self.client.generic(
            "POST", LOGIN_URL, big, content_type="application/octet-stream"
        )
        self.assertEqual(r.status_code, 413)

    def test_an_oversized_form_field_is_refused_with_400(self):
        r = self.client.post(LOGIN_URL, {"username": "x" * (3 * 1024 * 1024)})
        self.assertEqual(r.status_code, 400)

    def test_an_oversized_upload_is_refused_with_413(self):
        self.client.force_login(make_user(superuser=True))
        upload = ("big.bin", b"\0" * (11 * 1024 * 1024))
        from django.core.files.uploadedfile import SimpleUploadedFile

        r = self.client.post(
            reverse("admin:incidents_incident_add"),
            {"file": SimpleUploadedFile(*upload)},
        )
        self.assertEqual(r.status_code, 413)

    def test_drafts_stay_off_the_public_pages(self):
        place = make_location(name="Secretville")
        for status in (Incident.Status.DRAFT, Incident.Status.IN_REVIEW):
            draft = make_incident(status=status, summary="Not yet.", places=[place])
            with self.subTest(status=status):
                self.assertEqual(
                    self.client.get(draft.get_absolute_url()).status_code, 404
                )
                r = self.client.get("/")
                self.assertNotContains(r, draft.public_id)
                self.assertNotContains(r, "Secretville")
                r = self.client.get(place.get_absolute_url())
                self.assertNotContains(r, draft.public_id)
                self.assertNotContains(r, "Not yet.")


class DatabaseUnavailableTests(TestCase):
    def test_a_database_failure_answers_503_without_details(self):
        middleware = DatabaseUnavailableMiddleware(lambda request: None)
        error = OperationalError("connection refused: secret-host:5432")
        request = RequestFactory().get("/")
        r = middleware.process_exception(request, error)
        self.assertEqual(r.status_code, 503)
        self.assertEqual(r["Retry-After"], "30")
        self.assertIn(b"Temporarily unavailable", r.content)
        self.assertNotIn(b"secret-host", r.content)
        r = middleware.process_exception(RequestFactory().get("/api/v1/x/"), error)
        self.assertEqual(r.status_code, 503)
        self.assertEqual(r["Content-Type"], "application/json")
        self.assertIsNone(middleware.process_exception(request, ValueError("x")))

    def test_handler500_turns_a_database_failure_into_503(self):
        request = RequestFactory().get("/")
        try:
            raise OperationalError("server closed the connection")
        except OperationalError:
            r = server_error(request)
        self.assertEqual(r.status_code, 503)
        try:
            raise ValueError("other")
        except ValueError:
            r = server_error(request)
        self.assertEqual(r.status_code, 500)
