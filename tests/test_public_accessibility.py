import re
from itertools import pairwise

from django.urls import reverse

from tests.public import PublicCast

_HEADING = re.compile(r"<h([1-6])[\s>]")
_CONTROL = re.compile(r"<(input|select|textarea)\b([^>]*)>")


class PublicMarkupTests(PublicCast):
    """Structure that screen-reader and keyboard users rely on, on every page."""

    def pages(self):
        return {
            "list": reverse("incidents:list") + "?side=QQ",  # with form errors
            "list ok": reverse("incidents:list"),
            "detail": self.kharkiv_attack.get_absolute_url(),
            "location": self.kharkiv.get_absolute_url(),
            "map": reverse("incidents:map"),
            "stats": reverse("incidents:stats"),
        }

    def test_one_h1_and_no_skipped_heading_level(self):
        for name, url in self.pages().items():
            with self.subTest(name):
                html = self.client.get(url).content.decode()
                levels = [int(level) for level in _HEADING.findall(html)]
                self.assertEqual(levels[0], 1)
                self.assertEqual(levels.count(1), 1)
                for before, after in pairwise(levels):
                    self.assertLessEqual(after, before + 1, levels)

    def test_every_form_control_has_a_label(self):
        for name, url in self.pages().items():
            with self.subTest(name):
                html = self.client.get(url).content.decode()
                for _tag, attrs in _CONTROL.findall(html):
                    if 'type="hidden"' in attrs:
                        continue
                    control_id = re.search(r'\sid="([^"]+)"', attrs)
                    self.assertIsNotNone(control_id, attrs)
                    self.assertIn(f'<label for="{control_id.group(1)}"', html)

    def test_skip_link_and_language_attribute(self):
        for name, url in self.pages().items():
            with self.subTest(name):
                html = self.client.get(url).content.decode()
                self.assertIn('<a class="skip" href="#main">', html)
                self.assertIn('<main id="main"', html)
                self.assertIn('<html lang="en">', html)

    def test_no_script_or_stylesheet_from_another_host(self):
        for name, url in self.pages().items():
            with self.subTest(name):
                html = self.client.get(url).content.decode()
                assets = re.findall(
                    r'<(?:script|link)\b[^>]*(?:src|href)="([^"]+)"', html
                )
                self.assertTrue(assets)
                for asset in assets:
                    self.assertTrue(asset.startswith("/"), asset)
