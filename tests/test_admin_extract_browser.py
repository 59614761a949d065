import os

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from playwright.sync_api import sync_playwright

from incidents.models import Incident
from tests.factories import make_user
from tests.test_extraction import SEED_ARTICLE, make_places, make_weapons

CHROMIUM_ARGS = [
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
class IncidentFromArticleBrowserTests(StaticLiveServerTestCase):
    host = "127.0.0.1"

    @classmethod
    def setUpClass(cls):
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        super().setUpClass()
        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self):
        make_places()
        make_weapons()
        make_user("editor", superuser=True)
        self.page = self.browser.new_page()
        self.page.set_default_timeout(15_000)

    def tearDown(self):
        self.page.close()

    def test_a_journalist_pastes_corrects_and_saves_two_drafts(self):
        page = self.page
        page.goto(f"{self.live_server_url}/admin/login/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", "correct horse battery staple")
        page.click("input[type=submit]")
        page.goto(f"{self.live_server_url}/admin/incidents/incident/")
        page.click("text=New incident from article")
        page.fill("#id_text", SEED_ARTICLE.read_text(encoding="utf-8"))
        page.fill("#id_publisher", "Matin.info")
        page.fill("#id_published_on", "2024-11-10")
        page.click("input[name=_extract]")
        self.assertEqual(page.locator("fieldset.draft").count(), 2)
        self.assertEqual(page.input_value("#id_draft-0-drones_launched"), "145")
        self.assertIn(
            "neutraliser 62 de ces aéronefs",
            page.locator("#draft-0 .field-drones_intercepted .evidence").inner_text(),
        )
        page.fill("#id_draft-0-drones_launched", "146")
        page.click("input[name=_save]")
        page.wait_for_url("**/admin/incidents/incident/?status__exact=draft")
        self.assertIn("2 draft incidents saved", page.content())
        incident = Incident.objects.get(target_country="UA")
        self.assertEqual(incident.drones_launched, 146)
        self.assertEqual(incident.status, Incident.Status.DRAFT)
