"""The dashboard's figures are kept per scope, date and language for DASHBOARD_CACHE_SECONDS: counting
the whole country takes seconds at national scale (make bench)."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from chainwork.scope import scope_for
from reports import figures
from tests.reports.support import enterprise

pytestmark = pytest.mark.django_db

LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "dashboard"}}


@pytest.fixture
def kept():
    with override_settings(DASHBOARD_CACHE_SECONDS=300, CACHES=LOCAL_CACHE):
        from django.core.cache import cache

        cache.clear()
        yield


def national(personas):
    return figures.dashboard(scope_for(personas.ministry), figures.timezone.localdate(), with_referrals=True)


def test_within_the_period_the_counted_figures_are_shown_again(kept, personas):
    first = national(personas)["enterprises"]["total"]
    enterprise()
    assert national(personas)["enterprises"]["total"] == first


def test_a_province_is_counted_apart_from_the_country(kept, personas):
    national(personas)
    enterprise()
    hubei = figures.dashboard(scope_for(personas.hubei), figures.timezone.localdate(), with_referrals=False)
    assert hubei["enterprises"]["total"] == 1


def test_without_a_period_every_request_counts_afresh(personas):
    first = national(personas)["enterprises"]["total"]
    enterprise()
    assert national(personas)["enterprises"]["total"] == first + 1


def test_the_page_says_when_the_figures_were_counted_and_how_often(kept, client_for, personas):
    page = client_for(personas.ministry).get(reverse("reports-dashboard")).content.decode()
    assert "每5分钟更新" in page


def test_the_coverage_counts_match_the_coverage_page(personas):
    from liaison import services as contacts
    from tests.reports.test_dashboard_coverage import assign

    assign(personas.liaison_hubei, enterprise())
    assign(personas.liaison_hubei, enterprise())
    detail = {row["region"].code: (row["assigned"], row["on_time"]) for row in contacts.coverage(personas.ministry)}
    counts = {row["region"]: (row["assigned"], row["on_time"]) for row in contacts.coverage_counts(personas.ministry)}
    assert counts == detail == {"42": (2, 0)}


def test_the_figures_html_is_kept_with_the_figures(kept, client_for, personas):
    from django.core.cache import cache
    from django.core.cache.utils import make_template_fragment_key

    response = client_for(personas.ministry).get(reverse("reports-dashboard"))
    context = response.context
    key = make_template_fragment_key("dashboard_body", [context["fragment_key"], context["data"]["counted_at"],
                                                        "zh-hans"])
    assert 'data-testid="enterprise-figures"' in cache.get(key)


def test_another_language_gets_its_own_html(kept, client_for, personas):
    client = client_for(personas.ministry)
    client.get(reverse("reports-dashboard"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("reports-dashboard")).content.decode()
    assert "Resumption rate" in english
