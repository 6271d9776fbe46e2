"""Issue 20, phones: at 390×844 every list page of every demo role is read without sideways scrolling,
its rows are compact cards (consecutive rows at most a screen-third apart), and axe finds nothing
serious; the filters fold behind one button; the 产业链图谱 puts the blockers first and pans its picture
inside the page. On a desk the same lists stay tables.

seed_demo takes most of a test's time, so the phone walk is one test over every role, with one logged-in
context per role, that names every page and role at fault; axe runs once per page (as the first role that
reaches it with rows), the width and row checks on every page of every role."""

import pytest
from django.core.management import call_command

from enterprises.models import Enterprise
from tests.e2e.conftest import PHONE, accessibility_violations, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

THIRD = 844 / 3  # a card at most a screen-third tall: rows start at most this far apart

OFFICIAL_LISTS = ["/enterprises/", "/enterprises/chains/", "/enterprises/status/", "/cases/", "/cases/shares/",
                  "/cases/extensions/", "/enterprises/contacts/", "/enterprises/contacts/assignments/",
                  "/enterprises/contacts/coverage/", "/policies/", "/policies/applications/", "/policies/report/",
                  "/notifications/", "/directory/", "/reports/", "/reports/daily/", "/reports/weekly/",
                  "/reports/departments/"]
MINISTRY_LISTS = ["/cases/queue/", "/cases/referrals/", "/cases/referrals/?department=mot", "/cases/listed/",
                  "/cases/groups/"]
# The second wave's lists: 会商 and 议定事项, 监测, 产融对接 and 清欠, 应对预案, 政策储备, 一企一策, the 重点产业链
# and the register of countries' situations.
SECOND_WAVE_LISTS = ["/consultations/", "/consultations/decisions/", "/consultations/monitoring/",
                     "/policies/financing/", "/policies/arrears/", "/policies/plans/", "/policies/reserves/",
                     "/policies/service-plans/", "/policies/service-plans/report/", "/enterprises/chains/industry/",
                     "/enterprises/chains/situations/", "/reports/benefit/"]
PROVINCE_LISTS = [*OFFICIAL_LISTS, "/cases/batches/"]
# What each demo role's menu leads to; {lead} and {partner} are a Hubei lead enterprise's chain and one of
# its suppliers in another province (the supplier table and the 服务的龙头企业 list).
LISTS = {
    "ministry": [*OFFICIAL_LISTS, *MINISTRY_LISTS, *SECOND_WAVE_LISTS, "/cases/batches/",
                 "/enterprises/{lead}/chain/", "/enterprises/{partner}/served/"],
    "ministry-liaison": [*OFFICIAL_LISTS, *MINISTRY_LISTS[:-1], "/enterprises/{lead}/chain/"],
    "hubei": [*PROVINCE_LISTS, *SECOND_WAVE_LISTS, "/enterprises/{lead}/chain/"],
    "hubei-lead": PROVINCE_LISTS,
    "guangdong": [*PROVINCE_LISTS, "/enterprises/{partner}/served/"],
    "guangdong-lead": PROVINCE_LISTS,
    "liaison-hubei": ["/enterprises/", "/enterprises/chains/", "/enterprises/status/", "/cases/",
                      "/enterprises/contacts/", "/policies/", "/policies/applications/", "/policies/report/",
                      "/notifications/", "/enterprises/{lead}/chain/"],
    "dept-mot": ["/cases/referrals/", "/cases/extensions/", "/policies/", "/notifications/", "/directory/",
                 "/consultations/", "/consultations/decisions/"],
    "admin": [*OFFICIAL_LISTS, *MINISTRY_LISTS[:-1], "/cases/batches/"],
}

# Elements past the right edge (the chain picture's own panning box aside), and for every list in the
# page — a table body or a list group with two rows or more — the largest distance between two
# consecutive rows' tops.
MEASURE = """() => {
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll('main *, nav *')]
    .filter(e => e.getClientRects().length && !e.closest('.cw-chain-pan')
                 && e.getBoundingClientRect().right > width + 1)
    .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`);
  const lists = [...document.querySelectorAll('main tbody, main .list-group')].map(list => {
    const tops = [...list.children].filter(row => row.getClientRects().length)
      .map(row => row.getBoundingClientRect().top);
    return {testid: list.closest('[data-testid]')?.dataset.testid || list.tagName.toLowerCase(),
            rows: tops.length, gap: Math.max(0, ...tops.slice(1).map((top, i) => top - tops[i]))};
  }).filter(list => list.rows >= 2);
  return {scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5), lists};
}"""


@pytest.fixture
def demo(settings):
    call_command("seed_demo")
    return settings.DEMO_PASSWORD


def chain_paths():
    lead = Enterprise.objects.get(name="东湖光电科技集团有限公司")
    partner = Enterprise.objects.get(name="深圳鹏城芯片封装有限公司")
    return {"lead": lead.pk, "partner": partner.pk}


def faults_of(page) -> list[str]:
    """What is wrong with the page as a phone shows it: sideways scrolling, rows too far apart."""
    found = page.evaluate(MEASURE)
    faults = []
    if found["scrollWidth"] > found["width"] or found["wide"]:
        faults.append(f"wider than the screen ({found['scrollWidth']} px): {found['wide']}")
    faults += [f"rows of {list_['testid']} {list_['gap']:.0f} px apart" for list_ in found["lists"]
               if list_["gap"] > THIRD]
    return faults


def test_every_list_page_of_every_role_fits_a_phone(new_page, live_server, demo):
    ids = chain_paths()
    checked_by_axe = set()
    faults = {}
    for username, paths in LISTS.items():
        page = log_in(new_page(**PHONE), live_server, username, demo)
        for path in paths:
            path = path.format(**ids)
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, (username, path)
            found = faults_of(page)
            if path not in checked_by_axe:
                checked_by_axe.add(path)
                found += accessibility_violations(page)
            if found:
                faults[f"{username} {path}"] = found
        page.context.close()
    assert faults == {}


def test_the_filters_fold_behind_one_button_on_a_phone(new_page, live_server, demo):
    page = log_in(new_page(**PHONE), live_server, "hubei", demo)
    page.goto(f"{live_server.url}/cases/?urgency=urgent")
    filters = page.get_by_test_id("case-filters")
    assert not filters.is_visible()
    page.get_by_test_id("filter-toggle").tap()
    filters.wait_for(state="visible")
    assert page.get_by_test_id("filter-toggle").inner_text().strip() == "筛选 已设1项"


def test_a_desk_keeps_the_tables_and_the_open_filters(new_page, live_server, demo):
    page = log_in(new_page(), live_server, "ministry", demo)
    shown = {}
    for path, table in [("/cases/", "case-table"), ("/enterprises/", "enterprise-table"),
                        ("/policies/applications/", "application-table")]:
        page.goto(f"{live_server.url}{path}")
        grid = page.get_by_test_id(table)
        shown[path] = (grid.locator("thead").is_visible(),
                       grid.locator("tbody tr").first.evaluate("row => getComputedStyle(row).display"),
                       page.get_by_test_id("filter-toggle").is_visible())
    assert shown == {path: (True, "table-row", False) for path in shown}


def test_the_chain_picture_on_a_phone_puts_the_blockers_first_and_pans(new_page, live_server, demo):
    page = log_in(new_page(**PHONE), live_server, "ministry", demo)
    page.goto(f"{live_server.url}/enterprises/{chain_paths()['lead']}/chain/")
    page.wait_for_load_state("networkidle")
    blockers = page.get_by_test_id("chain-blockers").bounding_box()
    summary = page.get_by_test_id("chain-summary").bounding_box()
    pan = page.get_by_test_id("chain-pan").evaluate(
        "box => ({scrolls: box.scrollWidth > box.clientWidth, page: document.documentElement.scrollWidth})")
    assert (blockers["y"] < summary["y"], pan) == (True, {"scrolls": True, "page": 390})


def test_the_chain_picture_on_a_desk_fits_its_card_below_the_figures(new_page, live_server, demo):
    page = log_in(new_page(), live_server, "ministry", demo)
    page.goto(f"{live_server.url}/enterprises/{chain_paths()['lead']}/chain/")
    page.wait_for_load_state("networkidle")
    blockers = page.get_by_test_id("chain-blockers").bounding_box()
    summary = page.get_by_test_id("chain-summary").bounding_box()
    scrolls = page.get_by_test_id("chain-pan").evaluate("box => box.scrollWidth > box.clientWidth")
    assert (blockers["y"] > summary["y"], scrolls) == (True, False)
