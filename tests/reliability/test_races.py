"""Races across capabilities on real PostgreSQL: each racer is a thread with its own connection and
transaction, lined up by a barrier. Every race has exactly one outcome; nothing is lost or doubled.

What tests/cases/test_concurrency.py, tests/enterprises/test_import.py and tests/liaison/ already race
(two transitions, numbers in one region, two imports of one enterprise file, two follow-up sweeps) is not
repeated here.
"""

import csv
import datetime as dt
import io
import threading

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import importing as case_importing
from cases.models import Case, CaseEvent, Referral
from cases.referrals import perform_referral
from cases.services import CaseData, case_create
from cases.workflow import perform
from chainwork.errors import InvalidState, ValidationError
from chainwork.models import Category, Notification
from chainwork.reference import load_reference_data
from enterprises import importing
from enterprises.models import Enterprise, StatusReport
from tests.base import make_personas
from tests.cases.workflow_support import NEXT_WEEK, case_in
from tests.conftest import build_chain
from tests.factories import EnterpriseFactory, make_credit_code, region
from tests.liaison.conftest import assign, contact
from tests.reliability.support import run_together

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(db):
    load_reference_data()  # the transactional tests truncate the reference rows
    personas = make_personas()
    return personas, build_chain(personas)


def csv_file(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def twin_clients(user):
    """Two browsers of one session: a double click, or the same page in two tabs."""
    first = Client()
    first.force_login(user)
    second = Client()
    second.cookies[settings.SESSION_COOKIE_NAME] = first.cookies[settings.SESSION_COOKIE_NAME].value
    return first, second


def upload(client, url_name: str, name: str, content: bytes):
    file = io.BytesIO(content)
    file.name = name
    response = client.post(reverse(url_name), {"file": file})
    assert response.status_code == 200
    token = response.context["token"]
    assert token, "the check found problems"
    return token


# --- one import confirmed twice at once ---------------------------------------------------------------------


def test_a_problem_list_confirmed_twice_at_once_creates_each_problem_once(world):
    """Before the upload was claimed by a rename, both confirmations read it and every problem doubled."""
    personas, chain = world
    code = chain["lead"].credit_code
    rows = [["企业信用代码", "问题类别", "问题标题", "问题描述", "企业诉求"],
            *([code, "物流运输", f"问题{n}", "描述", "诉求"] for n in range(5))]
    first, second = twin_clients(personas.hubei)
    token = upload(first, "cases-import", "问题清单.csv", csv_file(rows))
    results = run_together(*(lambda c=c: c.post(reverse("cases-import-confirm"), {"token": token})
                             for c in (first, second)))
    assert [kind for kind, _ in results] == ["ok", "ok"]
    assert sorted(response.status_code for _, response in results) == [302, 302]
    assert Case.objects.count() == 5
    assert sorted(Case.objects.values_list("title", flat=True)) == [f"问题{n}" for n in range(5)]
    refused = [r for _, r in results if r.url == reverse("cases-import")]
    assert len(refused) == 1  # the other one is sent back to upload, with the reason


def test_an_enterprise_list_confirmed_twice_at_once_is_applied_once(world, tmp_path):
    personas, _chain = world
    rows = [["企业名称", "统一社会信用代码", "所属地区"],
            *([f"并发企业{n}", make_credit_code("420100", 6_000_000 + n), "42"] for n in range(20))]
    first, second = twin_clients(personas.hubei)
    token = upload(first, "enterprises-import", "名单.csv", csv_file(rows))
    before = Enterprise.objects.count()
    results = run_together(*(lambda c=c: c.post(reverse("enterprises-import-confirm"), {"token": token})
                             for c in (first, second)))
    assert [kind for kind, _ in results] == ["ok", "ok"]
    assert Enterprise.objects.count() == before + 20
    pages = [response for _, response in results]
    assert sorted(p.status_code for p in pages) == [302, 302]
    imported = [p for p in pages if "已导入" in " ".join(str(m) for m in p.wsgi_request._messages)]
    assert len(imported) == 1


def test_two_status_imports_of_one_file_at_once_write_each_report_once(world):
    personas, _chain = world
    enterprises = [EnterpriseFactory() for _ in range(15)]
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    data = csv_file([["统一社会信用代码", "日期", "复工情况", "到岗人数", "正常用工人数"],
                     *([e.credit_code, day, "部分", 50, 100] for e in enterprises)])
    results = run_together(*(lambda: importing.apply(io.BytesIO(data), actor=personas.hubei, name="复工.csv")
                             for _ in range(2)))
    reports = [value for kind, value in results]
    assert all(kind == "ok" for kind, _ in results) and all(r.applied for r in reports)
    assert sorted((r.created, r.unchanged) for r in reports) == [(0, 15), (15, 0)]
    assert StatusReport.objects.count() == 15


# --- numbering ---------------------------------------------------------------------------------------------------


def _register(personas, enterprise, title):
    category = Category.objects.get(slug="logistics")
    actor = personas.hubei if enterprise.list_region_id == "42" else personas.guangdong
    return case_create(actor=actor, data=CaseData(enterprise_id=enterprise.pk, category_id=category.pk, title=title,
                                                  description="描述", request="诉求"))


def test_numbers_have_no_gap_or_double_per_region_when_two_regions_register_at_once(world):
    personas, chain = world
    hubei, guangdong = chain["lead"], chain["guangdong_lead"]
    code = hubei.credit_code
    problem_list = csv_file([["企业信用代码", "问题类别", "问题标题", "问题描述", "企业诉求"],
                             *([code, "物流运输", f"清单{n}", "描述", "诉求"] for n in range(3))])
    calls = [*(lambda n=n: _register(personas, hubei, f"鄂{n}") for n in range(3)),
             *(lambda n=n: _register(personas, guangdong, f"粤{n}") for n in range(4)),
             lambda: case_importing.apply(io.BytesIO(problem_list), actor=personas.hubei, name="清单.csv")]
    results = run_together(*calls)
    assert all(kind == "ok" for kind, _ in results), results
    year = timezone.localdate().year
    for region_code, expected in (("42", 6), ("44", 4)):
        sequences = sorted(Case.objects.filter(region_id=region_code, year=year).values_list("sequence", flat=True))
        assert sequences == list(range(1, expected + 1))
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 10
    assert {n[0] for n in numbers} == {region("42").abbr, region("44").abbr}


# --- the reminder sweep --------------------------------------------------------------------------------------


def test_three_sweeps_at_once_send_every_kind_of_due_reminder_exactly_once(world):
    """tests/liaison races two sweeps over follow-ups only; here every capability's reminder is due."""
    from reports.digest import sweep

    personas, chain = world
    # The sweeps run at 09:30 today; every deadline is set before that, whatever the clock says now.
    nine = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(9, 30)))
    contact(assign(personas.liaison_hubei, enterprise=chain["hubei_customer"]), days_ago=5, next_in=-2)
    overdue = case_in("local", personas, chain)
    Case.objects.filter(pk=overdue.pk).update(due_at=nine - dt.timedelta(hours=1))
    routed = case_in("routed", personas, chain)
    Referral.objects.filter(case=routed).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    CaseEvent.objects.create(case=routed, kind=CaseEvent.Kind.INSTRUCTION, action="instruct", actor=personas.ministry,
                             note="批示", due_at=nine - dt.timedelta(hours=2))
    Notification.objects.all().delete()  # only the sweep's own notices count below

    results = run_together(*(lambda: sweep(now=nine) for _ in range(3)))
    assert all(kind == "ok" for kind, _ in results), results
    totals = {kind: sum(counts[kind] for _, counts in results)
              for kind in ("follow_up", "case_overdue", "referral_overdue", "instruction_due")}
    assert all(total >= 1 for total in totals.values()), totals
    again = sweep(now=nine)  # and a fourth, after them, finds nothing left to send
    assert sum(again[kind] for kind in totals) == 0 and again["digest"] == 0
    by_kind = {kind: list(Notification.objects.filter(kind=kind).values_list("user_id", flat=True))
               for kind in (*totals, "digest")}
    for kind, users in by_kind.items():
        assert users and len(users) == len(set(users)), (kind, users)  # nobody twice
    assert by_kind["follow_up"] == [personas.liaison_hubei.pk]
    assert personas.dept_mot.pk in by_kind["referral_overdue"]


# --- an export during an import ----------------------------------------------------------------------------------


def test_an_export_during_an_import_sees_all_of_its_rows_or_none(world):
    personas, _chain = world
    rows = [["企业名称", "统一社会信用代码", "所属地区"],
            *([f"导出中企业{n}", make_credit_code("420100", 7_000_000 + n), "42"] for n in range(400))]
    data = csv_file(rows)
    client = Client()
    client.force_login(personas.hubei)
    base = Enterprise.objects.visible_to(personas.hubei).count()
    done = threading.Event()
    seen: list[int] = []

    def run_import():
        try:
            return importing.apply(io.BytesIO(data), actor=personas.hubei, name="名单.csv")
        finally:
            done.set()

    def export_meanwhile():
        while True:
            finished = done.is_set()
            content = client.get(reverse("enterprises-export"), {"format": "csv"}).getvalue().decode("utf-8-sig")
            seen.append(sum(1 for line in content.splitlines() if "导出中企业" in line))
            if finished:
                return seen

    results = run_together(run_import, export_meanwhile)
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert results[0][1].applied and results[0][1].created == 400
    assert set(seen) <= {0, 400} and seen[-1] == 400, seen
    assert Enterprise.objects.visible_to(personas.hubei).count() == base + 400


# --- two officials editing one enterprise -----------------------------------------------------------------------


def test_two_officials_editing_one_version_of_an_enterprise_at_once_save_one_whole_edit(world):
    """Both forms carry the version they were loaded with: under the row lock one is saved whole (never a mix
    of the two forms) and the other is told to reload (409), as on a problem."""
    personas, chain = world
    enterprise = chain["hubei_customer"]
    base = {"name": enterprise.name, "location": "domestic", "credit_code": enterprise.credit_code, "region": "42",
            "version": enterprise.version}
    edits = {personas.hubei.pk: {**base, "address": "甲的地址", "contact_name": "甲"},
             personas.hubei_lead.pk: {**base, "address": "乙的地址", "contact_name": "乙"}}
    clients = {}
    for user in (personas.hubei, personas.hubei_lead):
        clients[user.pk] = Client()
        clients[user.pk].force_login(user)
    url = reverse("enterprises-edit", args=[enterprise.pk])
    results = run_together(*(lambda pk=pk: clients[pk].post(url, edits[pk]) for pk in edits))
    assert sorted(response.status_code for _, response in results) == [302, 409]
    enterprise.refresh_from_db()
    assert (enterprise.address, enterprise.contact_name) in {("甲的地址", "甲"), ("乙的地址", "乙")}


# --- a transition racing with a referral answer ------------------------------------------------------------------


@pytest.mark.parametrize("action", ["urge", "supervise"])
def test_chasing_a_referral_while_the_department_answers_it_is_never_a_deadlock(world, action):
    """Answering locked the referral then the problem; 催办 and 督办 of a referral lock the problem then the
    referral: PostgreSQL broke the deadlock by killing one of them (a 500). Now one waits for the other."""
    personas, chain = world
    payloads = {"urge": {"note": "请加快办理"},
                "supervise": {"level": "supervise", "due_date": (timezone.localdate() + dt.timedelta(days=9))
                              .isoformat()}}
    for _round in range(3):
        case = case_in("routed", personas, chain)
        referral = Referral.objects.get(case=case)
        results = run_together(
            lambda case=case, referral=referral: perform(case_id=case.pk, action=action, actor=personas.ministry,
                                                         data={**payloads[action], "referral": referral.pk}),
            lambda referral=referral: perform_referral(referral_id=referral.pk, action="respond",
                                                       actor=personas.dept_mot, data={"response": "已协调解决"}),
        )
        chase, answer = results
        assert answer[0] == "ok", answer
        # Either the chase came first and went through, or it found the referral answered and said so.
        assert chase[0] == "ok" or isinstance(chase[1], ValidationError), chase
        referral.refresh_from_db()
        assert referral.state == Referral.State.RESPONDED
        assert CaseEvent.objects.filter(case=case, action="referral-respond").count() == 1
        assert CaseEvent.objects.filter(case=case, action=action).count() == (1 if chase[0] == "ok" else 0)


def test_the_ministry_responding_while_the_department_answers_gives_one_result_each(world):
    personas, chain = world
    case = case_in("routed", personas, chain)
    referral = Referral.objects.get(case=case)
    version = case.version
    results = run_together(
        lambda: perform(case_id=case.pk, action="respond", actor=personas.ministry, version=version,
                        data={"response": "部专班协调解决", "closure_type": "solved"}),
        lambda: perform_referral(referral_id=referral.pk, action="respond", actor=personas.dept_mot,
                                 data={"response": "部门已办结"}),
    )
    transition, answer = results
    assert answer[0] == "ok", answer
    case.refresh_from_db()
    # The answer bumps the problem's version: a transition sent with the old one after it is stale (409).
    if transition[0] == "ok":
        assert case.state == "responded"
        assert CaseEvent.objects.filter(case=case, action="respond").count() == 1
    else:
        assert isinstance(transition[1], InvalidState), transition
        assert case.state == "routed" and not CaseEvent.objects.filter(case=case, action="respond").exists()
    assert CaseEvent.objects.filter(case=case, action="referral-respond").count() == 1
    assert case.version == version + 1 + (1 if transition[0] == "ok" else 0)
    assert NEXT_WEEK  # the routed path set the referral's deadline a week ahead
