"""A problem's page and the 问题台账, kept per reader (cases/page_cache.py): served again without being
built, and never once anything they show has changed, whatever wrote the change."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import page_cache
from cases.deadlines import light as light_of
from cases.deadlines import watching_lights
from cases.models import CaseLink
from cases.workflow import perform
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

# The Redis cache of the test run is shared with other tests: nothing here depends on it being empty,
# since every key names the process and the problem's rows.


def _page(client, case):
    response = client.get(reverse("cases-detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_problem_page_opened_again_is_served_without_being_built(client_for, personas, make_problem):
    case = make_problem("escalated")
    client = client_for(personas.hubei)
    url = reverse("cases-detail", args=[case.pk])
    built = _queries(client, url)
    assert _queries(client, url) <= 6 < built


def test_a_comment_shows_on_the_kept_page_at_once(client_for, personas, make_problem):
    case = make_problem("escalated")
    client = client_for(personas.hubei)
    _page(client, case)
    perform(case_id=case.pk, action="comment", actor=personas.ministry, data={"text": "请广东专班今日回复",
                                                                                   "visibility": "shared"})
    assert "请广东专班今日回复" in _page(client, case)


def test_an_enterprise_renamed_by_any_path_shows_on_the_kept_page(client_for, personas, make_problem, chain):
    case = make_problem("new")
    client = client_for(personas.hubei)
    _page(client, case)
    with connection.cursor() as cursor:  # not through the ORM's save(): the digest reads the rows themselves
        cursor.execute("UPDATE enterprises_enterprise SET name = %s WHERE id = %s",
                       ["深圳鹏城芯片封装（集团）有限公司", chain["guangdong_supplier"].pk])
    assert "深圳鹏城芯片封装（集团）有限公司" in _page(client, case)


def test_a_named_enterprise_added_shows_on_the_kept_page(client_for, personas, make_problem):
    case = make_problem("new")
    client = client_for(personas.hubei)
    _page(client, case)
    case.named_enterprises.add(EnterpriseFactory(name="武汉江城精密模具有限公司"))
    assert "武汉江城精密模具有限公司" in _page(client, case)


def test_a_referral_answered_shows_on_the_kept_page(client_for, personas, make_problem, api_client):
    case = make_problem("routed")
    client = client_for(personas.ministry)
    _page(client, case)
    referral = case.referrals.get()
    api_client.force_authenticate(personas.dept_mot)
    answered = api_client.post(f"/api/v1/referrals/{referral.pk}/respond/", {"response": "已协调开通绿色通道"},
                               format="json")
    assert answered.status_code == 200
    assert "已协调开通绿色通道" in _page(client, case)


def test_an_attachment_shows_on_the_kept_page(client_for, personas, make_problem):
    case = make_problem("new")
    client = client_for(personas.hubei)
    _page(client, case)
    upload = SimpleUploadedFile("供货合同.pdf", b"%PDF-1.4 contract", content_type="application/pdf")
    response = client.post(reverse("cases-attachment-upload", args=[case.pk]),
                           {"file": upload, "visibility": "shared"})
    assert response.status_code == 302
    assert "供货合同.pdf" in _page(client, case)


def test_a_link_to_another_problem_shows_on_the_kept_page(client_for, personas, make_problem):
    case = make_problem("new")
    other = make_problem("new", title="物流园区封控导致原料无法入园")
    client = client_for(personas.hubei)
    _page(client, case)
    CaseLink.objects.create(from_case=case, to_case=other, kind="related", created_by=personas.hubei)
    assert "物流园区封控导致原料无法入园" in _page(client, case)


def test_a_readers_kept_page_is_not_served_to_another_reader(client_for, personas, make_problem):
    case = make_problem("escalated")
    perform(case_id=case.pk, action="comment", actor=personas.ministry,
            data={"text": "部专班内部研判：需发改委牵头", "visibility": "internal"})
    assert "部专班内部研判" in _page(client_for(personas.ministry), case)
    hubei = Client()
    hubei.force_login(personas.hubei)
    assert "部专班内部研判" not in _page(hubei, case)


def test_the_kept_page_carries_the_readers_own_csrf_token(personas, make_problem):
    case = make_problem("new")
    hubei = personas.hubei
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(hubei)
    second.force_login(hubei)
    first.get(reverse("cases-detail", args=[case.pk]))
    page = second.get(reverse("cases-detail", args=[case.pk])).content.decode()  # the kept one
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = second.post(reverse("cases-action", args=[case.pk, "comment"]),
                           {"csrfmiddlewaretoken": token, "text": "已电话联系企业", "visibility": "shared"})
    assert response.status_code == 302


def test_a_page_is_not_kept_past_its_first_light_change(personas, make_problem):
    now = timezone.now()
    with watching_lights() as first_change:
        assert light_of(now + dt.timedelta(hours=30), now) == "green"
        assert light_of(now + dt.timedelta(hours=5), now) == "yellow"
        assert light_of(now - dt.timedelta(hours=1), now) == "red"
    assert first_change[0] == now + dt.timedelta(hours=5)


def test_a_green_light_changes_when_its_warning_window_opens():
    now = timezone.now()
    with watching_lights() as first_change:
        light_of(now + dt.timedelta(hours=30), now)
    assert first_change[0] == now + dt.timedelta(hours=6)


def test_keeping_stops_at_the_first_light_change(settings):
    assert page_cache.timeout_for(timezone.now() + dt.timedelta(seconds=90)) in (89, 90)
    assert page_cache.timeout_for(timezone.now() + dt.timedelta(days=3)) == settings.PAGE_CACHE_SECONDS
    assert page_cache.timeout_for(None) == settings.PAGE_CACHE_SECONDS


def test_nothing_is_kept_when_page_caching_is_off(client_for, personas, make_problem, settings):
    settings.PAGE_CACHE_SECONDS = 0
    case = make_problem("new")
    client = client_for(personas.hubei)
    url = reverse("cases-detail", args=[case.pk])
    client.get(url)  # the first request of a session reads more (its refresh)
    assert _queries(client, url) == _queries(client, url) > 6


def test_the_list_opened_again_is_served_without_being_rendered(client_for, personas, make_problem):
    make_problem("new")
    client = client_for(personas.hubei)
    first = client.get(reverse("cases-list"))
    second = client.get(reverse("cases-list"))
    assert second.content.count(b"data-case=") == first.content.count(b"data-case=") == 1


def test_a_new_problem_shows_on_the_kept_list(client_for, personas, make_problem):
    make_problem("new")
    client = client_for(personas.hubei)
    client.get(reverse("cases-list"))
    make_problem("new", title="园区防疫卡口导致员工无法返岗")
    assert "园区防疫卡口导致员工无法返岗" in client.get(reverse("cases-list")).content.decode()


def test_a_retitled_problem_shows_on_the_kept_list(client_for, personas, make_problem):
    case = make_problem("new")
    client = client_for(personas.hubei)
    client.get(reverse("cases-list"))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_case SET title = %s WHERE id = %s", ["原料断供（已更正）", case.pk])
    assert "原料断供（已更正）" in client.get(reverse("cases-list")).content.decode()


def _list(client, query: str = "") -> str:
    response = client.get(reverse("cases-list") + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_kept_list_reads_no_problem(client_for, personas, make_problem):
    make_problem("new")
    client = client_for(personas.hubei)
    _list(client)
    with CaptureQueriesContext(connection) as captured:
        _list(client)
    assert not [q["sql"] for q in captured.captured_queries if '"cases_case"' in q["sql"]]


def test_a_change_in_another_region_leaves_the_stamp_alone(personas, make_problem, guangdong_problem):
    make_problem("new")
    before = page_cache.list_stamp(personas.hubei)
    perform(case_id=guangdong_problem.pk, action="comment", actor=personas.guangdong,
            data={"text": "已联系企业", "visibility": "shared"})
    assert page_cache.list_stamp(personas.hubei) == before


def test_a_problem_shared_with_the_region_shows_on_its_kept_list(client_for, personas, problem):
    client = client_for(personas.guangdong)
    assert problem.title not in _list(client)
    perform(case_id=problem.pk, action="share", actor=personas.ministry,
            data={"region": "44", "note": "请广东协调封装厂尽快复产"})
    assert problem.title in _list(client)


def test_a_saved_view_shows_on_the_kept_list(client_for, personas, problem):
    from cases.ledger import saved_view_save

    client = client_for(personas.hubei)
    _list(client)
    saved_view_save(owner=personas.hubei, name="本周新登记", query="state=new", shared=False)
    assert "本周新登记" in _list(client)


def test_an_enterprise_renamed_in_sql_shows_on_the_kept_list(client_for, personas, problem):
    client = client_for(personas.hubei)
    _list(client)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE enterprises_enterprise SET name = %s WHERE id = %s",
                       ["东湖光电科技（集团）股份有限公司", problem.enterprise_id])
    assert "东湖光电科技（集团）股份有限公司" in _list(client)


def test_an_assignment_shows_its_problems_on_the_liaisons_kept_list(client_for, personas, chain, problem):
    from liaison.models import LiaisonAssignment

    client = client_for(personas.liaison_hubei)
    assert problem.title not in _list(client)
    LiaisonAssignment.objects.create(enterprise=chain["lead"], officer=personas.liaison_hubei)
    assert problem.title in _list(client)


def _kept_until(monkeypatch, client, query: str = "") -> dt.datetime | None:
    """The instant the list's rendering was kept until (what the view hands page_cache.keep)."""
    seen = []
    real_keep = page_cache.keep
    monkeypatch.setattr(page_cache, "keep", lambda key, body, first: (seen.append(first), real_keep(key, body, first)))
    _list(client, query)
    assert len(seen) == 1
    return seen[0]


def test_the_kept_list_expires_when_a_rows_light_changes(monkeypatch, client_for, personas, make_problem):
    case = make_problem("local")
    assert _kept_until(monkeypatch, client_for(personas.hubei)) == case.due_at - dt.timedelta(days=1)


def test_a_list_counting_overdue_expires_when_a_problem_out_of_sight_turns(monkeypatch, client_for, personas,
                                                                        chain, make_problem):
    from liaison.models import LiaisonAssignment

    case = make_problem("local")
    LiaisonAssignment.objects.create(enterprise=chain["lead"], officer=personas.liaison_hubei)
    # No row is shown, but the 超期 tab counts the problem: it turns yellow a day before its deadline.
    kept_until = _kept_until(monkeypatch, client_for(personas.liaison_hubei), "?state=closed")
    assert kept_until == case.due_at - dt.timedelta(days=1)


def test_compacting_keeps_each_regions_count(personas, make_problem, guangdong_problem, monkeypatch):
    from cases.models import ListChange

    make_problem("escalated")
    before = {scope: n for scope, n, _last in page_cache.list_stamp(personas.ministry)}
    monkeypatch.setattr(page_cache, "COMPACT_FROM_ROWS", 1)
    page_cache.compact_list_changes()
    after = {scope: n for scope, n, _last in page_cache.list_stamp(personas.ministry)}
    assert after == before
    assert ListChange.objects.filter(scope="42").count() == 1
