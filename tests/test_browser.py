"""The public site in a real browser: Playwright driving Debian's Chromium
against pytest-django's live server, with every non-local request blocked.

Screenshots go to test-output/screenshots/ for a reviewer to look at.
"""

import csv
import io
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command

from incidents.models import Incident
from tests.factories import kyiv, make_incident, make_location, make_weapon

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
SHOTS = Path(settings.BASE_DIR) / "test-output" / "screenshots"
PHONE = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason=f"Chromium is not installed at {CHROMIUM}; `make browser` installs it",
    ),
]


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own
    # database calls are still synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def record(transactional_db, settings):
    """The demo record, one more public incident, and a draft."""
    settings.MAP_TILE_URL = ""  # offline: no tiles, markers still drawn
    call_command("load_demo", verbosity=0)
    kharkiv = make_location(
        "Kharkiv",
        country="UA",
        region="Kharkiv Oblast",
        latitude="49.98081",
        longitude="36.25272",
    )
    october = make_incident(
        started_at=kyiv(2024, 10, 1, 21, 0),
        ended_at=kyiv(2024, 10, 2, 5, 0),
        drones_launched=40,
        drones_intercepted=31,
        places=[kharkiv],
        lines=[(make_weapon(), 40, 31)],
        summary="Shahed drones over Kharkiv.",
    )
    draft = make_incident(
        status=Incident.Status.DRAFT,
        places=[kharkiv],
        summary="Unpublished draft text",
    )
    return {
        "moscow": Incident.objects.get(public_id="demo2runov"),
        "october": october,
        "draft": draft,
    }


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser page whose requests may only reach the live server."""
    context = chromium.new_context(accept_downloads=True, locale="en-GB")
    page = context.new_page()
    host = urlsplit(live_server.url).netloc
    outside = []

    def only_local(route):
        if urlsplit(route.request.url).netloc == host:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert outside == [], f"requests left the machine: {outside}"
    assert errors == [], f"JavaScript errors: {errors}"


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_filter_by_place_open_detail_and_switch_to_french(page, live_server, record):
    from playwright.sync_api import expect

    page.goto(live_server.url + "/")
    expect(page.locator("tr.incident")).to_have_count(3)
    expect(page.get_by_text("Unpublished draft text")).to_have_count(0)
    page.get_by_text("Filter incidents").click()
    _shot(page, "list")

    page.get_by_label("Place").fill("Ramenskoïe")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(live_server.url + "/?location=Ramensko%C3%AFe")
    rows = page.locator("tr.incident")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Unknown → Russia")
    expect(rows.first).to_contain_text("Ramenskoye")
    expect(page.locator("dl.totals")).to_contain_text("34")

    rows.first.get_by_role("link").first.click()
    expect(page).to_have_url(live_server.url + record["moscow"].get_absolute_url())
    expect(page.locator("h1")).to_have_text("Unknown → Russia")
    expect(page.locator("blockquote").first).to_be_visible()
    expect(page.locator("#citation")).to_contain_text(record["moscow"].public_id)
    expect(page.locator(".leaflet-marker-icon")).to_have_count(3)
    _shot(page, "detail")

    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_url(live_server.url + record["moscow"].get_absolute_url())
    expect(page.locator("h1")).to_have_text("Inconnu → Russie")
    expect(page.get_by_role("heading", name="Citer cette page")).to_be_visible()
    _shot(page, "detail-fr")


def test_map_shows_a_marker_per_place_without_tiles(page, live_server, record):
    from playwright.sync_api import expect

    page.goto(live_server.url + "/map/")
    # Ukraine, Moscow Oblast, Ramenskoye, Domodedovo, Kharkiv; not the draft.
    markers = page.locator(".leaflet-marker-icon")
    expect(markers).to_have_count(5)
    expect(page.locator(".leaflet-tile")).to_have_count(0)
    page.locator(".leaflet-marker-icon[title='Kharkiv']").click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_be_visible()
    link = popup.get_by_role("link", name="Russia → Ukraine")
    expect(link).to_have_attribute("href", record["october"].get_absolute_url())
    # The same places as a list for readers without the map.
    expect(page.locator("ul.map-list > li")).to_have_count(5)

    # Only the Moscow incident matches; all three of its places are shown.
    page.goto(live_server.url + "/map/?location=Раменское")
    expect(page.locator(".leaflet-marker-icon")).to_have_count(3)
    expect(page.locator(".leaflet-marker-icon[title='Kharkiv']")).to_have_count(0)
    _shot(page, "map")


def test_stats_chart_renders_and_switches_period(page, live_server, record):
    from playwright.sync_api import expect

    page.goto(live_server.url + "/stats/?period=month")
    chart = page.locator("svg.bars")
    expect(chart).to_be_visible()
    bars = chart.locator("rect.launched")
    expect(bars).to_have_count(2)  # October and November 2024
    heights = [float(b.get_attribute("height")) for b in bars.all()]
    assert heights[0] > 0 and heights[1] > heights[0]
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    expect(page.locator("svg.rate polyline.rate-line")).to_have_count(1)
    expect(page.locator("table.series tbody tr")).to_have_count(2)
    _shot(page, "stats")

    page.get_by_role("link", name="day", exact=True).click()
    expect(page).to_have_url(live_server.url + "/stats/?period=day")
    expect(page.get_by_role("link", name="day", exact=True)).to_have_attribute(
        "aria-current", "true"
    )
    # 1 October and 9 November 2024 (both demo incidents are on the 9th).
    expect(page.locator("svg.bars rect.launched")).to_have_count(2)
    expect(page.locator("table.series tbody th").first).to_have_text("10/01/2024")


def test_csv_download_has_exactly_the_filtered_rows(page, live_server, record):
    from playwright.sync_api import expect

    page.goto(live_server.url + "/?target_country=UA")
    expect(page.locator("tr.incident")).to_have_count(2)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download these incidents (CSV)").click()
    download = info.value
    assert download.suggested_filename == "incidents.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text())))
    assert sorted(row["public_id"] for row in rows) == sorted(
        [record["october"].public_id, "demo1uanov"]
    )
    assert {row["target_country"] for row in rows} == {"UA"}


def test_phone_width_and_keyboard(chromium, live_server, record):
    from playwright.sync_api import expect

    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        pages = (
            ("/", "list-phone"),
            ("/stats/", "stats-phone"),
            (record["moscow"].get_absolute_url(), "detail-phone"),
            ("/map/", "map-phone"),
        )
        for path, name in pages:
            page.goto(live_server.url + path)
            # Compared with the phone's width: a mobile browser widens its
            # layout viewport to fit content that overflows.
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} is {width}px wide on a phone"
            _shot(page, name)
        page.goto(live_server.url + "/")
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Skip to content")
        expect(skip).to_be_focused()
        expect(skip).to_be_in_viewport()
        outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
        assert outline == "solid"
    finally:
        context.close()
