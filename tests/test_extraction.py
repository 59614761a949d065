import datetime as dt
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase

from incidents.extraction import detect_language, extract_incidents
from incidents.models import Country, Incident, IncidentLocation, Location
from tests.factories import kyiv, make_location, make_weapon

SEED_ARTICLE = Path(__file__).parent / "data" / "seed-article-fr.txt"
SUNDAY = dt.date(2024, 11, 10)
NIGHT = (kyiv(2024, 11, 9, 0, 0), kyiv(2024, 11, 10, 0, 0))
REGION = Location.Kind.REGION


def make_places():
    """A small gazetteer: the places of the reports below, in four languages."""
    ru, ua = Country.RUSSIA, Country.UKRAINE
    rows = [
        (
            "Moscow Oblast",
            ru,
            "Moscow Oblast",
            REGION,
            ["Московская область", "Московська область", "Moskovskaya oblast"],
        ),
        (
            "Ramenskoye",
            ru,
            "Moscow Oblast",
            None,
            ["Ramenskoïe", "Ramenskoe", "Раменское", "Раменське"],
        ),
        ("Domodedovo", ru, "Moscow Oblast", None, ["Домодедово"]),
        ("Moscow", ru, "Moscow", None, ["Moscou", "Москва", "Moskva"]),
        (
            "Kursk Oblast",
            ru,
            "Kursk Oblast",
            REGION,
            ["Курская область", "Курська область", "Oblast de Koursk"],
        ),
        ("Kursk", ru, "Kursk Oblast", None, ["Koursk", "Курск", "Курськ"]),
        (
            "Belgorod",
            ru,
            "Belgorod Oblast",
            None,
            ["Bielgorod", "Белгород", "Бєлгород"],
        ),
        ("Kyiv", ua, "Kyiv", None, ["Kiev", "Kyïv", "Київ", "Киев"]),
        (
            "Kharkiv Oblast",
            ua,
            "Kharkiv Oblast",
            REGION,
            ["Харківська область", "Харьковская область"],
        ),
        (
            "Kharkiv",
            ua,
            "Kharkiv Oblast",
            None,
            ["Kharkov", "Kharkiv", "Харків", "Харьков"],
        ),
        ("Odesa", ua, "Odesa Oblast", None, ["Odessa", "Одеса", "Одесса"]),
    ]
    for name, country, region, kind, alternates in rows:
        make_location(
            name,
            country=country,
            region=region,
            kind=kind or Location.Kind.SETTLEMENT,
            alternate_names=alternates,
            latitude=None,
            longitude=None,
        )


def make_weapons():
    shahed = make_weapon("Shahed-136/131")
    shahed.aliases = ["Shahed", "Geran-2", "Герань-2", "Шахед"]
    shahed.save()
    gerbera = make_weapon("Gerbera", "decoy_drone")
    gerbera.aliases = ["Гербера"]
    gerbera.save()
    lancet = make_weapon("Lancet", "loitering")
    lancet.aliases = ["Ланцет"]
    lancet.save()
    make_weapon("Unknown UAV", "unknown_drone")
    iskander = make_weapon("Iskander-M", "ballistic_missile")
    iskander.aliases = ["Искандер-М"]
    iskander.save()


class ExtractionTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_places()
        make_weapons()

    def extract(self, text, **kwargs):
        kwargs.setdefault("published_on", SUNDAY)
        return extract_incidents(text, **kwargs)

    def only(self, text, **kwargs):
        proposals = self.extract(text, **kwargs)
        self.assertEqual(len(proposals), 1, [p.to_dict() for p in proposals])
        return proposals[0]

    def assertProposal(self, proposal, **expected):
        values = {
            name: getattr(proposal, name).value
            for name in expected
            if name in proposal.FIELDS
        }
        if "places" in expected:
            values["places"] = sorted(p.location.name for p in proposal.places)
        if "lines" in expected:
            values["lines"] = sorted(
                (x.weapon.name, x.launched, x.intercepted)
                for x in proposal.weapon_lines
            )
        if "claimants" in expected:
            values["claimants"] = sorted({f.claimant for f in proposal.figures})
        self.assertEqual(values, expected)


class SeedArticleTests(ExtractionTestCase):
    def test_it_proposes_the_two_attacks_of_the_seed_article(self):
        text = SEED_ARTICLE.read_text(encoding="utf-8")
        first, second = self.extract(text, publisher="Matin.info")
        self.assertProposal(
            first,
            attacker=Country.RUSSIA,
            target_country=Country.UKRAINE,
            drones_launched=145,
            drones_intercepted=62,
            started_at=NIGHT[0],
            ended_at=NIGHT[1],
            time_precision=Incident.Precision.DAY,
            claimants=["Volodymyr Zelensky, President of Ukraine"],
        )
        self.assertProposal(
            second,
            attacker=Country.UNKNOWN,
            target_country=Country.RUSSIA,
            attribution=Incident.Attribution.UNCLAIMED,
            drones_launched=None,
            drones_intercepted=34,
            started_at=NIGHT[0],
            ended_at=NIGHT[1],
            region="Moscow Oblast",
            places=["Domodedovo", "Ramenskoye"],
            claimants=["Russian authorities"],
        )

    def test_each_field_quotes_the_sentence_it_came_from(self):
        text = SEED_ARTICLE.read_text(encoding="utf-8")
        first, second = self.extract(text, publisher="Matin.info")
        self.assertIn("145 drones russes", first.drones_launched.evidence)
        self.assertIn("neutraliser 62", first.drones_intercepted.evidence)
        self.assertIn("samedi à dimanche", first.started_at.evidence)
        self.assertIn("pas revendiqué", second.attribution.evidence)
        self.assertIn("Ramenskoïe", second.places[0].evidence)
        self.assertEqual(second.places[0].role, IncidentLocation.Role.INTERCEPTION)

    def test_the_article_is_the_source_of_each_claim(self):
        text = SEED_ARTICLE.read_text(encoding="utf-8")
        url = "https://example.org/drones-en-action"
        first, second = self.extract(text, url=url, publisher="Matin.info")
        (source,) = second.sources
        self.assertEqual(source.claimant, "Russian authorities")
        self.assertEqual(source.publisher, "Matin.info")
        self.assertEqual(source.url, url)
        self.assertEqual(source.language, "fr")
        self.assertEqual(source.published_on, SUNDAY)
        self.assertIn("34 drones", source.claim)
        self.assertEqual(
            [s.claimant for s in first.sources],
            ["Volodymyr Zelensky, President of Ukraine"],
        )


class EnglishReportTests(ExtractionTestCase):
    def test_overnight_attack_with_one_model_and_two_cities(self):
        p = self.only(
            "Overnight, Russia launched 80 Shahed drones at Ukraine. Air defence "
            "shot down 64 of them over Kyiv and Kharkiv, the Ukrainian Air Force said."
        )
        self.assertProposal(
            p,
            attacker=Country.RUSSIA,
            target_country=Country.UKRAINE,
            drones_launched=80,
            drones_intercepted=64,
            started_at=NIGHT[0],
            ended_at=NIGHT[1],
            places=["Kharkiv", "Kyiv"],
            lines=[("Shahed-136/131", 80, None)],
            claimants=["Ukrainian Air Force"],
        )

    def test_only_intercepted_leaves_launched_unknown(self):
        p = self.only(
            "The Russian Ministry of Defence said air defences destroyed thirty-four "
            "Ukrainian drones over the Kursk region last night."
        )
        self.assertProposal(
            p,
            attacker=Country.UKRAINE,
            target_country=Country.RUSSIA,
            drones_launched=None,
            drones_intercepted=34,
            region="Kursk Oblast",
            places=["Kursk Oblast"],
            claimants=["Russian Ministry of Defence"],
        )

    def test_explicit_night_and_two_models_in_words(self):
        p = self.only(
            "On the night of 14 to 15 October, Russia attacked Ukraine with one "
            "hundred and twenty drones: 70 Shahed and 50 Gerbera decoys. "
            "Fifty-five Shaheds were shot down, the Air Force said."
        )
        self.assertProposal(
            p,
            started_at=kyiv(2024, 10, 14, 0, 0),
            ended_at=kyiv(2024, 10, 15, 0, 0),
            drones_launched=120,
            drones_intercepted=None,
            lines=[("Gerbera", 50, None), ("Shahed-136/131", 70, 55)],
            claimants=["Ukrainian Air Force"],
        )

    def test_a_report_without_figures_proposes_nothing(self):
        proposals = self.extract(
            "Several drones were shot down over Moscow on Sunday night, Sergei "
            "Sobyanin said. He gave no number."
        )
        self.assertEqual(proposals, [])

    def test_missiles_get_a_line_but_no_drone_count_and_lost_drones_none(self):
        p = self.only(
            "Russia attacked Ukraine overnight with 112 drones and 3 Iskander-M "
            "missiles. Ukrainian forces downed 70 drones, while 35 were locally "
            "lost, the Air Force said."
        )
        self.assertProposal(
            p,
            attacker=Country.RUSSIA,
            target_country=Country.UKRAINE,
            drones_launched=112,
            drones_intercepted=70,
            lines=[("Iskander-M", 3, None)],
            claimants=["Ukrainian Air Force"],
        )

    def test_a_sentence_before_the_figures_names_the_attacker_and_place(self):
        p = self.only(
            "Ukrainian drones hit an oil depot in Kursk on Saturday night, the "
            "governor said. Russia's defence ministry said 21 drones were "
            "destroyed over the region."
        )
        self.assertProposal(
            p,
            attacker=Country.UKRAINE,
            target_country=Country.RUSSIA,
            started_at=NIGHT[0],
            ended_at=NIGHT[1],
            drones_intercepted=21,
            places=["Kursk"],
            claimants=["Russian Ministry of Defence"],
        )


class FrenchReportTests(ExtractionTestCase):
    def test_number_words_explicit_night_and_elided_place(self):
        p = self.only(
            "Dans la nuit du 2 au 3 novembre, la Russie a lancé quatre-vingt-dix "
            "drones Shahed sur l'Ukraine, selon Volodymyr Zelensky. Soixante ont "
            "été abattus au-dessus d'Odessa et de Kharkiv."
        )
        self.assertProposal(
            p,
            attacker=Country.RUSSIA,
            target_country=Country.UKRAINE,
            started_at=kyiv(2024, 11, 2, 0, 0),
            ended_at=kyiv(2024, 11, 3, 0, 0),
            drones_launched=90,
            drones_intercepted=60,
            places=["Kharkiv", "Odesa"],
            lines=[("Shahed-136/131", 90, None)],
            claimants=["Volodymyr Zelensky, President of Ukraine"],
        )

    def test_times_given_apart_from_the_date(self):
        p = self.only(
            "Cette nuit, vingt drones ont été abattus au-dessus de Koursk, selon "
            "le ministère russe de la Défense. L'attaque a duré de 23h à 4h30."
        )
        self.assertProposal(
            p,
            started_at=kyiv(2024, 11, 9, 23, 0),
            ended_at=kyiv(2024, 11, 10, 4, 30),
            time_precision=Incident.Precision.MINUTE,
            drones_intercepted=20,
            places=["Kursk"],
        )

    def test_region_named_after_its_capital(self):
        p = self.only(
            "Le ministère russe de la Défense affirme avoir intercepté 34 drones "
            "ukrainiens au-dessus de la région de Koursk cette nuit."
        )
        self.assertProposal(
            p,
            attacker=Country.UKRAINE,
            target_country=Country.RUSSIA,
            drones_intercepted=34,
            drones_launched=None,
            started_at=NIGHT[0],
            region="Kursk Oblast",
            places=["Kursk Oblast"],
            claimants=["Russian Ministry of Defence"],
        )

    def test_yesterday_and_unclaimed_attack_on_moscow(self):
        p = self.only(
            "Hier, vingt et un drones ont visé Moscou, selon les autorités russes. "
            "L'Ukraine n'a pas revendiqué l'attaque."
        )
        self.assertProposal(
            p,
            attacker=Country.UNKNOWN,
            target_country=Country.RUSSIA,
            attribution=Incident.Attribution.UNCLAIMED,
            drones_launched=21,
            started_at=kyiv(2024, 11, 9, 0, 0),
            ended_at=None,
            places=["Moscow"],
            claimants=["Russian authorities"],
        )

    def test_loitering_munitions_on_an_explicit_day(self):
        p = self.only(
            "Selon l'état-major ukrainien, douze drones Lancet ont été détruits "
            "près de Kharkiv le 3 novembre."
        )
        self.assertProposal(
            p,
            target_country=Country.UKRAINE,
            started_at=kyiv(2024, 11, 3, 0, 0),
            drones_intercepted=12,
            lines=[("Lancet", None, 12)],
            places=["Kharkiv"],
            claimants=["General Staff of the Armed Forces of Ukraine"],
        )

    def test_two_regions_and_a_weekday_night(self):
        p = self.only(
            "Selon le ministère russe de la Défense, 47 drones ukrainiens ont été "
            "abattus dans la nuit de vendredi à samedi au-dessus des régions de "
            "Koursk et de Belgorod."
        )
        self.assertProposal(
            p,
            attacker=Country.UKRAINE,
            target_country=Country.RUSSIA,
            started_at=kyiv(2024, 11, 8, 0, 0),
            ended_at=kyiv(2024, 11, 9, 0, 0),
            drones_intercepted=47,
            # "de Belgorod" is read as the city: only the first name after
            # "régions de" is taken as a region.
            places=["Belgorod", "Kursk Oblast"],
        )


class UkrainianReportTests(ExtractionTestCase):
    def test_air_force_report_night_to_a_date(self):
        p = self.only(
            "У ніч на 10 листопада противник атакував 145 ударними БпЛА типу Shahed "
            "та дронами-імітаторами. За даними Повітряних сил, збито 62 ворожі "
            "дрони. Уламки впали у Києві."
        )
        self.assertProposal(
            p,
            attacker=Country.RUSSIA,
            target_country=Country.UKRAINE,
            started_at=NIGHT[0],
            ended_at=NIGHT[1],
            drones_launched=145,
            drones_intercepted=62,
            places=["Kyiv"],
            claimants=["Ukrainian Air Force"],
        )

    def test_number_words_and_a_declined_city(self):
        p = self.only(
            "Вночі росіяни запустили по Одесі двадцять вісім «Шахедів» (Герань-2); "
            "сили ППО знищили двадцять. Про це повідомили Повітряні сили."
        )
        self.assertProposal(
            p,
            attacker=Country.RUSSIA,
            target_country=Country.UKRAINE,
            started_at=NIGHT[0],
            drones_launched=28,
            drones_intercepted=20,
            places=["Odesa"],
            lines=[("Shahed-136/131", 28, None)],
            claimants=["Ukrainian Air Force"],
        )

    def test_weekday_night_and_decoys(self):
        p = self.only(
            "У ніч з суботи на неділю ворог атакував Харків: 15 дронів Gerbera та "
            "10 Шахедів. Збито дев'ять Шахедів, повідомили Повітряні сили."
        )
        self.assertProposal(
            p,
            started_at=NIGHT[0],
            ended_at=NIGHT[1],
            attacker=Country.RUSSIA,
            target_country=Country.UKRAINE,
            drones_launched=25,
            lines=[("Gerbera", 15, None), ("Shahed-136/131", 10, 9)],
            places=["Kharkiv"],
            claimants=["Ukrainian Air Force"],
        )

    def test_x_of_y_and_a_launch_site(self):
        p = self.only(
            "Протягом ночі Сили ППО знешкодили 45 із 60 шахедів, запущених з "
            "Курської області, повідомили Повітряні сили."
        )
        self.assertProposal(
            p,
            attacker=Country.RUSSIA,
            target_country=Country.UKRAINE,
            started_at=NIGHT[0],
            drones_launched=60,
            drones_intercepted=45,
            places=["Kursk Oblast"],
            claimants=["Ukrainian Air Force"],
        )
        self.assertEqual(p.places[0].role, IncidentLocation.Role.LAUNCH)

    def test_times_of_day_make_the_window_precise_to_the_minute(self):
        p = self.only(
            "У ніч на 10 листопада (з 18:00 9 листопада до 08:30) противник "
            "запустив сорок ударних БпЛА. Збито тридцять."
        )
        self.assertProposal(
            p,
            started_at=kyiv(2024, 11, 9, 18, 0),
            ended_at=kyiv(2024, 11, 10, 8, 30),
            time_precision=Incident.Precision.MINUTE,
            drones_launched=40,
            drones_intercepted=30,
        )

    def test_air_force_format_start_time_and_launch_directions(self):
        p = self.only(
            "У ніч на 10 листопада (з 18:00 9 листопада) противник атакував 145 "
            "ударними БпЛА типу Shahed, Гербера та дронами-імітаторами з "
            "напрямків: Міллерово, Курськ. Збито 62 ворожі дрони у Харкові."
        )
        self.assertProposal(
            p,
            started_at=kyiv(2024, 11, 9, 18, 0),
            ended_at=None,
            time_precision=Incident.Precision.MINUTE,
            attacker=Country.RUSSIA,
            target_country=Country.UKRAINE,
            drones_launched=145,
            drones_intercepted=62,
            lines=[],  # two models named for one figure: a total only
            places=["Kharkiv", "Kursk"],
        )
        roles = {x.location.name: x.role for x in p.places}
        self.assertEqual(roles["Kursk"], IncidentLocation.Role.LAUNCH)
        self.assertEqual(roles["Kharkiv"], IncidentLocation.Role.INTERCEPTION)


class RussianReportTests(ExtractionTestCase):
    def test_ministry_of_defence_over_moscow_oblast(self):
        p = self.only(
            "Минобороны России сообщило, что в ночь на воскресенье дежурными "
            "средствами ПВО перехвачены и уничтожены тридцать четыре беспилотных "
            "летательных аппарата над территорией Московской области, в том числе "
            "над Раменским и Домодедово."
        )
        self.assertProposal(
            p,
            attacker=Country.UNKNOWN,
            target_country=Country.RUSSIA,
            started_at=NIGHT[0],
            ended_at=NIGHT[1],
            drones_launched=None,
            drones_intercepted=34,
            region="Moscow Oblast",
            places=["Domodedovo", "Ramenskoye"],
            claimants=["Russian Ministry of Defence"],
        )

    def test_mixed_models_count_as_a_total(self):
        p = self.only(
            "По данным Воздушных сил Украины, этой ночью Россия атаковала Украину "
            "50 ударными беспилотниками «Шахед» и «Гербера»; сбиты 40 из них."
        )
        self.assertProposal(
            p,
            attacker=Country.RUSSIA,
            target_country=Country.UKRAINE,
            drones_launched=50,
            drones_intercepted=40,
            lines=[],
            claimants=["Ukrainian Air Force"],
        )

    def test_lancet_yesterday_in_a_declined_city(self):
        p = self.only(
            "Вчера российские беспилотники «Ланцет» поразили два объекта в Харькове; "
            "всего было запущено пять «Ланцетов», сообщает Минобороны России."
        )
        self.assertProposal(
            p,
            attacker=Country.RUSSIA,
            target_country=Country.UKRAINE,
            started_at=kyiv(2024, 11, 9, 0, 0),
            drones_launched=5,
            lines=[("Lancet", 5, None)],
            places=["Kharkiv"],
            claimants=["Russian Ministry of Defence"],
        )

    def test_the_day_of_a_date_is_not_a_count(self):
        p = self.only(
            "В ночь на 9 ноября над Белгородом сбиты 12 украинских БПЛА "
            "самолетного типа, сообщило Минобороны РФ."
        )
        self.assertProposal(
            p,
            attacker=Country.UKRAINE,
            target_country=Country.RUSSIA,
            started_at=kyiv(2024, 11, 8, 0, 0),
            ended_at=kyiv(2024, 11, 9, 0, 0),
            drones_launched=None,
            drones_intercepted=12,
            places=["Belgorod"],
            claimants=["Russian Ministry of Defence"],
        )


class LanguageTests(TestCase):
    def test_it_tells_the_four_languages_apart(self):
        samples = {
            "fr": "Les autorités russes affirment que les drones ont été abattus.",
            "en": "The air force said that the drones were shot down.",
            "uk": "Повітряні сили повідомили, що збито 62 дрони.",
            "ru": "Минобороны сообщило, что сбиты 34 беспилотника.",
        }
        for language, text in samples.items():
            with self.subTest(language):
                self.assertEqual(detect_language(text), language)


class ShippedGazetteerTests(TestCase):
    """The same reading against the places and weapons the app ships."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_places", verbosity=0)
        call_command("load_demo", verbosity=0)

    def test_the_seed_article_reads_the_same(self):
        text = SEED_ARTICLE.read_text(encoding="utf-8")
        first, second = extract_incidents(text, published_on=SUNDAY)
        self.assertEqual(
            (first.attacker.value, first.target_country.value), ("RU", "UA")
        )
        self.assertEqual(
            (first.drones_launched.value, first.drones_intercepted.value), (145, 62)
        )
        self.assertEqual(
            (second.attacker.value, second.target_country.value), ("ZZ", "RU")
        )
        self.assertEqual(second.drones_intercepted.value, 34)
        self.assertEqual(second.region.value, "Moscow Oblast")
        self.assertEqual(
            sorted(p.location.name for p in second.places),
            ["Domodedovo", "Ramenskoye"],
        )

    def test_common_words_are_not_taken_for_places(self):
        (p,) = extract_incidents(
            "Russia attacked Ukraine overnight with 80 Shahed drones. Air defence "
            "shot down 64 of them over Kyiv and Kharkiv, the Air Force said.",
            published_on=SUNDAY,
        )
        self.assertEqual((p.attacker.value, p.target_country.value), ("RU", "UA"))
        # "Air" is also an alternate name ("IAR") of Yaroslavl in GeoNames.
        self.assertEqual(sorted(p.location.name for p in p.places), ["Kharkiv", "Kyiv"])
        self.assertEqual(
            [(x.weapon.name, x.launched) for x in p.weapon_lines],
            [("Shahed-136/131", 80)],
        )

    def test_declined_names_find_the_shipped_places(self):
        (p,) = extract_incidents(
            "Минобороны России сообщило, что ночью над Курской областью и над "
            "Белгородом сбиты 20 украинских беспилотников.",
            published_on=SUNDAY,
        )
        self.assertEqual(
            sorted(x.location.name for x in p.places), ["Belgorod", "Kursk Oblast"]
        )

    def test_generic_catalogue_words_do_not_name_a_model(self):
        (p,) = extract_incidents(
            "Overnight Russia launched 30 Shahed drones, an unknown number of "
            "decoys and 3 ballistic missiles at Ukraine.",
            published_on=SUNDAY,
        )
        self.assertEqual(
            sorted((x.weapon.name, x.launched) for x in p.weapon_lines),
            [("Ballistic Missile", 3), ("Shahed-136/131", 30)],
        )
        self.assertEqual(p.drones_launched.value, 30)
