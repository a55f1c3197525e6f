"""On a phone (390×844) the county ledger (/funding/), a station's 支出明细 and the application's 拟入站人员 inputs
read as one card per row, each value with its column's name before it (issue 13's walk: readable but hard —
each table scrolled sideways inside the page, a row wider than three screens). Screenshots of each."""

from decimal import Decimal

import pytest

from tests import factories
from tests.applications import factories as af
from tests.browser.fixtures import screenshot, sign_in
from tests.browser.quality import AXE, AXE_RUN, require_tools
from tests.funding.factories import disbursed_station, spend

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE_WIDTH = 390
# what the table needs sideways beyond its box (0: nothing hidden to the right)
HIDDEN_RIGHT = "t => t.closest('.table-responsive').scrollWidth - t.closest('.table-responsive').clientWidth"
# each body cell's text before it, as the stylesheet shows it
LABELS = "t => [...t.tBodies[0].rows[0].cells].map(c => getComputedStyle(c, '::before').content)"


@pytest.fixture
def phone_page(chromium, live_server):
    """fixtures.phone_page, with bypass_csp: axe is injected as a script element (the portal's own script is a
    file, allowed by the policy)."""
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844},
                                   is_mobile=True, has_touch=True, device_scale_factor=2, bypass_csp=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def _axe_violations(page) -> list:
    """axe-core's serious and critical violations on the cards as laid out (the tables' semantics kept)."""
    require_tools()
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN)


def _station_with_spending(unit_username: str):
    hr, finance = factories.HRUserFactory(username="hr_phone"), factories.FinanceUserFactory()
    unit = factories.UnitUserFactory(username=unit_username)
    station, _grant = disbursed_station(hr=hr, finance=finance, unit=unit.organization)
    spend(station, unit, Decimal("12800.00"), description="购置数控车床配件及刀具一批，用于师带徒实训")
    spend(station, unit, Decimal("3500.00"), code="talent-training", description="外出考察学习")
    return station


def test_the_county_ledger_on_a_phone(phone_page):
    page = phone_page
    _station_with_spending("unit_phone_a")
    sign_in(page, "hr_phone", factories.PASSWORD)
    page.goto("/funding/")
    assert _fits(page)
    for table in ("table[data-totals]", "table[data-ledger]"):
        assert page.locator(table).evaluate(HIDDEN_RIGHT) == 0, table
    assert page.locator("table[data-ledger]").evaluate(LABELS) == [
        '"年度"', '"牌匾编号"', '"工作站"', '"行业主管部门"', '"银行开户账号"', '"第一批"', '"第二批"', '"补助金额"',
        '"已拨付"', '"已支出"', '"结余"', '"应追回"']
    screenshot(page, "phone-county-ledger")
    assert _axe_violations(page) == []


def test_a_stations_spending_on_a_phone(phone_page):
    page = phone_page
    station = _station_with_spending("unit_phone_b")
    sign_in(page, "unit_phone_b", factories.PASSWORD)
    page.goto(f"/funding/stations/{station.pk}/")
    assert _fits(page)
    for table in ("table[data-expenditures]", "table[data-tranches]"):
        assert page.locator(table).evaluate(HIDDEN_RIGHT) == 0, table
    assert page.locator("table[data-expenditures]").evaluate(LABELS) == [
        '"支出日期"', '"支出类别"', '"金额"', '"用途说明"', '"发票或凭证"', '"状态"']
    page.locator("table[data-expenditures]").scroll_into_view_if_needed()
    screenshot(page, "phone-station-statement")
    assert _axe_violations(page) == []


def test_the_team_members_inputs_on_a_phone(phone_page):
    page = phone_page
    app = af.eligible_application()
    factories.UnitUserFactory(username="unit_phone_c", organization=app.unit)
    sign_in(page, "unit_phone_c", factories.PASSWORD)
    page.goto(f"/applications/{app.pk}/edit/members/")
    assert _fits(page)
    assert page.locator("table.members-table").evaluate(HIDDEN_RIGHT) == 0
    # each input with its name shown above it (the labels were for screen readers only)
    name = page.locator("label[for='id_members-0-name']")
    assert name.is_visible() and name.inner_text() == "姓名"
    box, field = name.bounding_box(), page.locator("#id_members-0-name").bounding_box()
    assert box["y"] + box["height"] <= field["y"] + 1 and field["width"] >= 300
    page.locator("input[name='members-3-name']").fill("赵振华")
    page.locator("select[name='members-3-qualification']").select_option(label="技师")
    page.locator("input[name='members-3-post']").fill("电工班长")
    page.get_by_role("button", name="保存草稿").click()
    page.locator(".messages .alert-success").wait_for()
    assert app.members.filter(name="赵振华").count() == 1
    screenshot(page, "phone-team-members")
    assert _axe_violations(page) == []


# each label's left edge in the chart's own units (below 0: cut off at the chart's left edge)
LABEL_LEFTS = "svg => [...svg.querySelectorAll('g[data-category] text.bar-label')].map(t => t.getBBox().x)"
# each label's font size as drawn, in CSS px: its computed size in the SVG's units times their scale on the screen
LABEL_SIZES = ("svg => [...svg.querySelectorAll('g[data-category] text.bar-label')].map(t => "
               "Math.round(t.getScreenCTM().a * parseFloat(getComputedStyle(t).fontSize) * 10) / 10)")
# each text's right edge (labels and amounts) against the figure's (in CSS px)
LABEL_OVERFLOW = ("svg => Math.max(...[...svg.querySelectorAll('g[data-category] text')].map(t => "
                  "t.getBoundingClientRect().right - svg.getBoundingClientRect().right))")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_spending_chart_shows_each_category_whole(phone_page, live_server, language):
    """In English "Equipment purchase, upgrade and maintenance" began off the chart's left edge (the labels'
    column was sized for Chinese), at every width."""
    page = phone_page
    station = _station_with_spending("unit_phone_d")
    sign_in(page, "unit_phone_d", factories.PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url + "/"}])
    page.goto(f"/funding/stations/{station.pk}/")
    chart = page.locator("svg[data-chart=spending-by-category]")
    lefts = chart.evaluate(LABEL_LEFTS)
    assert len(lefts) == 5
    assert min(lefts) >= 0, lefts
    chart.scroll_into_view_if_needed()
    screenshot(page, f"phone-spending-chart-{language}")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_spending_charts_labels_are_14_px_at_every_width(phone_page, live_server, language, width):
    """The chart was a 640-unit drawing scaled to the figure: on a 390 px phone its 14-unit labels were drawn
    7.8 px high. Its units are now CSS pixels: 14 px on the phone as on the desktop, each label and amount whole."""
    page = phone_page
    page.set_viewport_size({"width": width, "height": 844})
    station = _station_with_spending(f"unit_chart_{width}")
    sign_in(page, f"unit_chart_{width}", factories.PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url + "/"}])
    page.goto(f"/funding/stations/{station.pk}/")
    chart = page.locator("svg[data-chart=spending-by-category]")
    assert chart.evaluate(LABEL_SIZES) == [14.0] * 5
    assert chart.evaluate(LABEL_OVERFLOW) <= 0
    chart.scroll_into_view_if_needed()
    screenshot(page, f"spending-chart-{width}-{language}")


def test_one_station_is_a_workstation_in_english_the_menu_and_the_totals_count_workstations(phone_page, live_server):
    """"工作站" read "Workstations" everywhere, above one station's name too (a tranche, an expenditure, each row
    of the lists); the menu entry and the ledger's count of stations are the plural ones."""
    page = phone_page
    station = _station_with_spending("unit_phone_e")
    sign_in(page, "hr_phone", factories.PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url + "/"}])
    page.goto(f"/funding/tranches/{station.grant.tranches.order_by('pk').first().pk}/")
    assert page.locator("main dl dt").first.inner_text() == "Workstation"
    assert page.locator("nav .nav-link[href='/workstations/']").inner_text().strip() == "Workstations"
    page.goto("/funding/")
    assert page.locator("table[data-totals] th").first.inner_text() == "Workstations"
    assert page.locator("table[data-ledger] th").nth(2).inner_text() == "Workstation"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_hrs_batch_page_on_a_phone(phone_page, live_server, language):
    """The batch's applications read as cards on a phone: in English the last columns' headings wrapped a word a
    line and the table scrolled sideways (session 5's walk)."""
    page = phone_page
    app = af.application_in("submitted")
    factories.HRUserFactory(username="hr_phone_batch")
    sign_in(page, "hr_phone_batch", factories.PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url + "/"}])
    page.goto(f"/applications/batches/{app.batch.pk}/")
    assert _fits(page)
    table = page.locator("table[data-batch-applications]")
    assert table.evaluate(HIDDEN_RIGHT) == 0
    assert table.evaluate(LABELS) == {
        "zh-hans": ['"申报单位"', '"职业（工种）"', '"领办人"', '"状态"', '"在此状态"', '"同时申报大师工作室"'],
        "en": ['"Applicant unit"', '"Occupation (trade)"', '"Leader"', '"Status"', '"In this status"',
               '"Also applies for a master studio"']}[language]
    screenshot(page, f"phone-batch-page-{language}")
    assert _axe_violations(page) == []
