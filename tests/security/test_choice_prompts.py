"""No select on the main pages offers Django's "---------" or starts a yes/no filter at 未知 (issue 20):
forms say 请选择, filters 全部, in both languages. The pages are crawled as a few roles on both sides of
the province line, against the permission matrix's world (conftest.world)."""

import re

import pytest
from django.conf import settings
from django.test import Client

from tests.security.urls_under_test import URLS, G

pytestmark = pytest.mark.django_db

# The pages with forms or filters.
PAGES = [
    "enterprises-list", "enterprises-create", "enterprises-edit", "enterprises-status", "enterprises-link-create",
    "enterprises-status-grid", "enterprises-import", "enterprises-contacts", "enterprises-contact-create",
    "enterprises-contact-detail", "enterprises-contact-edit", "enterprises-assignments", "enterprises-coverage",
    "cases-list", "cases-create", "cases-detail", "cases-queue", "cases-referrals", "cases-shares",
    "cases-extensions", "cases-batches", "cases-import", "cases-groups", "policies-list", "policies-applications",
    "policies-application-create", "policies-report", "reports-dashboard", "reports-daily", "reports-weekly",
    "reports-departments", "directory", "directory-me",
]
ROLES = ["hubei", "guangdong_lead", "ministry", "ministry_liaison", "liaison_hubei", "dept_mot"]
DASH_OPTION = re.compile(r"<option[^>]*>\s*-{5,}\s*</option>")
UNKNOWN_OPTION = re.compile(r"<option value=\"unknown\"[^>]*>\s*(未知|Unknown)\s*</option>")


def page_urls(world):
    return [(name, builder(world)) for name in PAGES for _variant, method, builder in URLS[name] if method == G]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_no_select_offers_dashes_or_starts_at_unknown(world, role, language):
    client = Client()
    client.force_login(world["users"][role])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    found = []
    for name, url in page_urls(world):
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        if DASH_OPTION.search(html) or UNKNOWN_OPTION.search(html):
            found.append(name)
    assert found == []


def test_a_form_select_says_please_choose(world):
    client = Client()
    client.force_login(world["users"]["hubei"])
    html = client.get(URLS["cases-create"][0][2](world)).content.decode()
    assert re.search(r"<option value=\"\"[^>]*>请选择</option>", html)


def test_a_yes_no_filter_starts_at_all(world):
    client = Client()
    client.force_login(world["users"]["hubei"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(URLS["enterprises-list"][0][2](world)).content.decode()
    blocked = html[html.index('name="blocked"'):]
    assert re.match(r'name="blocked"[^>]*>\s*<option value="unknown"[^>]*>All</option>', blocked)
