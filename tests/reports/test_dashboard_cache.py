"""The dashboard's figures are kept per scope, date and language and recounted by a Celery task once
older than DASHBOARD_CACHE_SECONDS: counting the whole country takes seconds at national scale (make
bench). A request serves what is kept, with its time, and never waits for another's count."""

import time

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from chainwork import kept as kept_figures
from chainwork.scope import scope_for
from reports import figures
from reports.tasks import refresh_kept_figures
from tests.reports.support import enterprise

pytestmark = pytest.mark.django_db

LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "dashboard"}}


@pytest.fixture
def kept():
    with override_settings(DASHBOARD_CACHE_SECONDS=300, CACHES=LOCAL_CACHE):
        cache.clear()
        yield


def national(personas):
    return figures.dashboard(scope_for(personas.ministry), figures.timezone.localdate(), with_referrals=True)


def national_key(personas):
    return figures.dashboard_key(scope_for(personas.ministry), figures.timezone.localdate(), True)


def counting_elsewhere(personas):
    """The lock a recount takes, held as by another worker in the middle of its count."""
    assert cache.add(f"{national_key(personas)}:counting", 1, timeout=kept_figures.COUNTING_SECONDS)


def later(seconds=301):
    return time_machine.travel(time.time() + seconds, tick=False)


def test_within_the_period_the_counted_figures_are_shown_again(kept, personas):
    first = national(personas)["enterprises"]["total"]
    enterprise()
    assert national(personas)["enterprises"]["total"] == first


def test_after_the_period_the_kept_figures_are_still_shown_until_the_task_recounts(kept, personas):
    first = national(personas)["enterprises"]["total"]
    enterprise()
    with later():
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


def test_with_nothing_kept_a_request_counts_itself_while_another_count_holds_the_lock(kept, personas):
    enterprise()
    counting_elsewhere(personas)
    started = time.monotonic()
    total = national(personas)["enterprises"]["total"]
    assert time.monotonic() - started < 5  # a waiting request would poll the lock for up to 30 s
    assert total == 1


def test_with_figures_kept_a_request_serves_them_while_another_count_holds_the_lock(kept, personas):
    first = national(personas)["enterprises"]["total"]
    enterprise()
    counting_elsewhere(personas)
    started = time.monotonic()
    with later():
        total = national(personas)["enterprises"]["total"]
    assert time.monotonic() - started < 5
    assert total == first


def test_the_task_recounts_figures_older_than_the_period(kept, personas):
    first = national(personas)["enterprises"]["total"]
    enterprise()
    with later():
        refresh_kept_figures()
    assert national(personas)["enterprises"]["total"] == first + 1


def test_the_task_leaves_fresh_figures_alone(kept, personas):
    national(personas)
    assert refresh_kept_figures() == 0


def test_the_task_skips_figures_another_run_is_counting(kept, personas):
    first = national(personas)["enterprises"]["total"]
    enterprise()
    counting_elsewhere(personas)
    with later():
        refresh_kept_figures()
    assert national(personas)["enterprises"]["total"] == first


def test_figures_nobody_read_for_an_hour_are_no_longer_recounted(kept, personas):
    national(personas)
    with later(kept_figures.WANTED_SECONDS + 1):
        assert refresh_kept_figures() == 0


def test_the_task_recounts_in_the_language_the_figures_were_read_in(kept, client_for, personas):
    client = client_for(personas.ministry)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.get(reverse("reports-dashboard"))
    with later():
        refresh_kept_figures()
    english = client.get(reverse("reports-dashboard")).content.decode()
    assert "Resumption rate" in english and "Nationwide" in english


def test_the_task_recounts_the_liaison_coverage_too(kept, personas):
    from tests.reports.test_dashboard_coverage import assign

    scope = scope_for(personas.ministry)
    assert figures.liaison_coverage(personas.ministry, scope)["assigned"] == 0
    assign(personas.liaison_hubei, enterprise())
    with later():
        refresh_kept_figures()
    assert figures.liaison_coverage(personas.ministry, scope)["assigned"] == 1


def test_beat_runs_the_recount_every_minute():
    from chainwork.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["refresh-kept-figures"]
    app.loader.import_default_modules()
    assert entry["schedule"] == 60 and entry["task"] in app.tasks


def test_the_page_says_when_the_figures_were_updated_and_how_often(kept, client_for, personas):
    page = client_for(personas.ministry).get(reverse("reports-dashboard")).content.decode()
    assert "每5分钟更新" in page and "数据更新于" in page


def test_the_coverage_counts_match_the_coverage_page(personas):
    from liaison import services as contacts
    from tests.reports.test_dashboard_coverage import assign

    assign(personas.liaison_hubei, enterprise())
    assign(personas.liaison_hubei, enterprise())
    detail = {row["region"].code: (row["assigned"], row["on_time"]) for row in contacts.coverage(personas.ministry)}
    counts = {row["region"]: (row["assigned"], row["on_time"]) for row in contacts.coverage_counts(personas.ministry)}
    assert counts == detail == {"42": (2, 0)}


def test_the_figures_html_is_kept_with_the_figures(kept, client_for, personas):
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
