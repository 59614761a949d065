"""The admin and the public pages work under the Content-Security-Policy."""

import os

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.test import override_settings

from tests.factories import make_incident, make_user

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.mark.browser
@override_settings(SESSION_COOKIE_SECURE=False, CSRF_COOKIE_SECURE=False)
class CspBrowserTests(StaticLiveServerTestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.exists(CHROMIUM):
            pytest.skip("chromium is not installed")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(
            executable_path=CHROMIUM, args=ARGS
        )

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self):
        self.page = self.browser.new_page()
        self.violations = []
        self.page.on(
            "console",
            lambda msg: (
                self.violations.append(msg.text)
                if "Content Security Policy" in msg.text
                else None
            ),
        )
        self.page.on("pageerror", lambda err: self.violations.append(str(err)))

    def tearDown(self):
        self.page.close()

    def test_admin_forms_and_their_scripts_work_under_the_policy(self):
        make_user("eve", superuser=True)
        incident = make_incident()
        page = self.page
        page.goto(f"{self.live_server_url}/admin/login/")
        page.fill("#id_username", "eve")
        page.fill("#id_password", "correct horse battery staple")
        page.click("input[type=submit]")
        page.wait_for_url(f"{self.live_server_url}/admin/")
        page.goto(
            f"{self.live_server_url}/admin/incidents/incident/{incident.pk}/change/"
        )
        # The inline formset's "add another" link is built by admin JavaScript.
        before = page.locator(".inline-related").count()
        page.get_by_text("Add another Source").click()
        self.assertEqual(page.locator(".inline-related").count(), before + 1)
        page.goto(f"{self.live_server_url}/admin/incidents/incident/")
        self.assertTrue(page.locator("#action-toggle").is_visible())
        page.goto(
            f"{self.live_server_url}/admin/incidents/incident/{incident.pk}/history/"
        )
        self.assertIn("history", page.title())
        self.assertEqual(self.violations, [])

    def test_public_pages_load_without_violations(self):
        incident = make_incident()
        for path in ("/", incident.get_absolute_url(), "/corrections/"):
            response = self.page.goto(f"{self.live_server_url}{path}")
            self.assertEqual(response.status, 200)
            self.assertIn(
                "default-src 'self'", response.headers["content-security-policy"]
            )
        self.assertEqual(self.violations, [])
