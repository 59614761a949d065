from django.test import SimpleTestCase

from incidents.names import fold, loose_key, search_text


class NameFoldingTests(SimpleTestCase):
    def test_it_folds_accents_case_and_cyrillic(self):
        self.assertEqual(fold("Ramenskoïe"), "ramenskoie")
        self.assertEqual(fold("Раменское"), "ramenskoe")
        self.assertEqual(fold("  Primorsko-Akhtarsk "), "primorsko akhtarsk")

    def test_it_gives_transliteration_variants_one_key(self):
        keys = {loose_key(n) for n in ["Ramenskoye", "Ramenskoïe", "Раменское"]}
        self.assertEqual(keys, {"ramenskoe"})
        self.assertEqual(loose_key("Kharkiv"), loose_key("Харків"))

    def test_it_drops_region_suffixes_from_keys(self):
        self.assertEqual(loose_key("Kursk oblast"), loose_key("Kursk region"))
        self.assertEqual(loose_key("Kursk Obl."), "kursk")

    def test_search_text_wraps_keys_so_only_whole_keys_match(self):
        text = search_text(["Moskva"])
        self.assertIn("|moskva|", text)
        self.assertIn("#moskva#", text)
        self.assertNotIn("#kv#", text)
