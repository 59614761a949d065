from pathlib import Path

import polib
from django.conf import settings
from django.urls import reverse

from tests.public import PublicCast

LOCALE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"


class FrenchCatalogTests(PublicCast):
    def test_every_entry_is_translated(self):
        po = polib.pofile(str(LOCALE / "django.po"))
        self.assertEqual([e.msgid for e in po.untranslated_entries()], [])
        self.assertEqual([e.msgid for e in po.fuzzy_entries()], [])

    def test_compiled_catalog_matches_the_po_file(self):
        po = polib.pofile(str(LOCALE / "django.po"))
        mo = polib.mofile(str(LOCALE / "django.mo"))
        compiled = {(e.msgctxt, e.msgid): e for e in mo}
        stale = []
        for entry in po.translated_entries():
            got = compiled.get((entry.msgctxt, entry.msgid))
            if got is None or (got.msgstr, got.msgstr_plural) != (
                entry.msgstr,
                entry.msgstr_plural,
            ):
                stale.append(entry.msgid)
        self.assertEqual(
            stale, [], "Run `manage.py compilemessages` after editing django.po"
        )

    def test_language_switcher_turns_the_site_french(self):
        r = self.client.get(reverse("incidents:list"))
        self.assertContains(r, 'action="/i18n/setlang/"')
        self.assertContains(r, '<option value="fr" lang="fr">Français</option>')
        r = self.client.post(
            reverse("set_language"),
            {"language": "fr", "next": self.kharkiv_attack.get_absolute_url()},
        )
        self.assertRedirects(r, self.kharkiv_attack.get_absolute_url())
        page = self.client.get(self.kharkiv_attack.get_absolute_url())
        for text in (
            '<html lang="fr">',
            "<h1>Russie → Ukraine</h1>",
            "attribué par la cible",
            "drone d’attaque",
            "Répartition par arme",
            "Citer cette page",
            "9 novembre 2024 20:00",
            "<dd>43\u00a0%</dd>",
            "heure Europe/Kyiv",
        ):
            self.assertContains(page, text)

    def test_filter_form_errors_are_french(self):
        self.client.post(reverse("set_language"), {"language": "fr", "next": "/"})
        r = self.client.get(reverse("incidents:list"), {"side": "QQ"})
        self.assertEqual(r.status_code, 400)
        self.assertContains(
            r, "Certaines valeurs du filtre ne sont pas valides", status_code=400
        )
        self.assertContains(r, "Camp attaquant", status_code=400)
        self.assertContains(r, "Sélectionnez un choix valide", status_code=400)
