"""Every main page of every role fits the window in both languages (#14, item 6): at 1,280 and 1,024 px on a
desktop and 390 px on a phone, the page is no wider than the window (nothing, such as 通知 or the user menu,
sits off-screen), and on a phone the menu collapses behind its button."""

from urllib.parse import urljoin

import pytest
from django.core.management import call_command

from qinshui_station.demo import DEMO_PASSWORD
from tests.browser.fixtures import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROLES = ("unit1", "unit2", "dept1", "expert1", "hr", "finance", "orgdept")
WIDTHS = (1280, 1024, 390)


def _menu_pages(page) -> list[str]:
    """The home page and every page the role's menu links to (drop-down entries included)."""
    hrefs = page.locator("#mainnav a[href^='/']").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    # files the menu offers (a unit's archive.zip) are downloads, not pages
    pages = [h for h in hrefs if not h.split("?")[0].endswith((".zip", ".pdf", ".xlsx"))]
    return list(dict.fromkeys(["/home/", *pages]))


# The innermost elements reaching past the window's right edge, to say what overflows.
OFFENDERS = """width => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > width + 0.5 && ![...e.children].some(
      c => c.getBoundingClientRect().right > width + 0.5))
  .slice(0, 3).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' ' +
      (e.innerText || '').slice(0, 30))"""


def _overflow(page, width: int) -> tuple[int, list[str]] | None:
    page.wait_for_timeout(300)  # charts are drawn on the next animation frames
    scroll = page.evaluate("document.documentElement.scrollWidth")
    return (scroll, page.evaluate(OFFENDERS, width)) if scroll > width else None


def _set_language(page, language: str):
    """For the whole site: a cookie set for page.url (/home/) had the path /home, so only the home page was in
    English."""
    page.context.add_cookies([{"name": "django_language", "value": language, "url": urljoin(page.url, "/")}])


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_main_page_fits_at_1280_1024_and_390(chromium, live_server, language):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    failures = {}
    for width in WIDTHS:
        # A browser opened at that width, as a phone would load the page (a page shrunk after loading can
        # hide what overflows).
        context = chromium.new_context(base_url=live_server.url, locale="zh-CN",
                                       viewport={"width": width, "height": 900})
        page = context.new_page()
        for username in ROLES:
            sign_in(page, username, DEMO_PASSWORD)
            _set_language(page, language)
            page.goto("/home/")
            for url in _menu_pages(page):
                page.goto(url)
                assert page.locator("html").get_attribute("lang") == {"en": "en"}.get(language, "zh-Hans"), url
                wide = _overflow(page, width)
                if wide:
                    failures[f"{width} {username} {url}"] = wide
                    screenshot(page, f"too-wide-{language}-{width}-{username}-{url.strip('/').replace('/', '-')}")
        context.close()
    assert failures == {}, "\n".join(f"{k}: {v}" for k, v in failures.items())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_menu_collapses_on_a_phone(phone_page, language):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    sign_in(phone_page, "hr", DEMO_PASSWORD)
    _set_language(phone_page, language)
    phone_page.goto("/home/")
    assert phone_page.locator(".navbar-toggler").is_visible()
    assert not phone_page.locator("#mainnav").is_visible()
    phone_page.locator(".navbar-toggler").click()
    phone_page.locator("#mainnav").wait_for(state="visible")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, f"phone-menu-open-{language}")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_publicity_notice_fits_a_phone(chromium, live_server, language):
    """The public notice (in no menu): its objection address, one long URL, broke out of a 390 px page."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto("/")
    _set_language(page, language)
    page.goto("/applications/publicity/2025/")
    assert page.locator(".notice-url").inner_text().endswith("/applications/publicity/2025/")
    wide = _overflow(page, 390)
    if wide:
        screenshot(page, f"too-wide-publicity-{language}")
    context.close()
    assert wide is None
