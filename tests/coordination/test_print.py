"""The A4 转办单 and 督办单: who may print them and what they carry."""

import pytest
from django.urls import reverse

from cases.workflow import perform
from tests.cases.workflow_support import case_in
from tests.coordination.support import in_days, referral_of, routed

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(personas, chain):
    return referral_of(routed(personas, chain))


@pytest.fixture
def supervised(personas, chain):
    case = case_in("accepted", personas, chain)
    return perform(case_id=case.pk, action="supervise", actor=personas.ministry,
                   data={"level": "listed", "due_date": in_days(5), "note": "请限期协调解决"})


@pytest.mark.parametrize(("persona", "status"), [
    ("ministry", 200), ("ministry_liaison", 200), ("hubei", 200), ("admin", 200), ("dept_mot", 200),
    ("dept_mof", 404), ("guangdong", 404), ("zhejiang", 404), ("liaison_guangdong", 404),
])
def test_who_may_print_the_referral_sheet(client_for, personas, referral, persona, status):
    response = client_for(getattr(personas, persona)).get(reverse("cases-referral-print", args=[referral.pk]))
    assert response.status_code == status


def test_the_referral_sheet_carries_the_number_and_department(client_for, personas, referral):
    page = client_for(personas.dept_mot).get(reverse("cases-referral-print", args=[referral.pk])).content.decode()
    assert referral.case.number in page and "交通运输部" in page


def test_the_referral_sheet_carries_the_ministry_note(client_for, personas, chain):
    case = case_in("accepted", personas, chain)
    case = perform(case_id=case.pk, action="route", actor=personas.ministry, data={
        "referrals": [{"department": "mot", "role": "lead", "due_date": in_days(7)}], "note": "请优先保障运输"})
    page = client_for(personas.ministry).get(reverse("cases-referral-print", args=[referral_of(case).pk]))
    assert "请优先保障运输" in page.content.decode()


def test_the_referral_sheet_names_the_assisting_department(client_for, personas, referral):
    page = client_for(personas.ministry).get(reverse("cases-referral-print", args=[referral.pk])).content.decode()
    assert "财政部" in page


@pytest.mark.parametrize(("persona", "status"), [
    ("ministry", 200), ("ministry_liaison", 200), ("hubei", 200), ("hubei_lead", 200), ("admin", 200),
    ("guangdong", 404), ("dept_mot", 404), ("liaison_guangdong", 404),
])
def test_who_may_print_the_supervision_sheet(client_for, personas, supervised, persona, status):
    response = client_for(getattr(personas, persona)).get(reverse("cases-supervision-print", args=[supervised.pk]))
    assert response.status_code == status


def test_a_problem_never_supervised_has_no_sheet(client_for, personas, chain):
    case = case_in("accepted", personas, chain)
    assert client_for(personas.ministry).get(reverse("cases-supervision-print", args=[case.pk])).status_code == 404


def test_the_supervision_sheet_shows_the_latest_supervision(client_for, personas, supervised):
    perform(case_id=supervised.pk, action="supervise", actor=personas.ministry,
            data={"level": "supervise", "due_date": in_days(3), "note": "第二次督办"})
    page = client_for(personas.ministry).get(reverse("cases-supervision-print", args=[supervised.pk]))
    assert "第二次督办" in page.content.decode()


def test_the_supervision_sheet_shows_the_level_and_number(client_for, personas, supervised):
    page = client_for(personas.ministry).get(reverse("cases-supervision-print", args=[supervised.pk])).content.decode()
    assert "挂牌督办" in page and supervised.number in page


def test_the_supervision_sheet_of_a_referral_names_the_department(client_for, personas, chain):
    case = routed(personas, chain)
    perform(case_id=case.pk, action="supervise", actor=personas.ministry,
            data={"level": "supervise", "due_date": in_days(3), "referral": referral_of(case, "mof").pk})
    page = client_for(personas.ministry).get(reverse("cases-supervision-print", args=[case.pk]))
    assert "财政部" in page.content.decode()


# --- who must act, and on what basis -------------------------------------------------------------------


def sheet_rows(response) -> str:
    return response.content.decode()


def test_the_referral_sheet_names_the_department_contact_and_phone(client_for, personas, referral):
    from chainwork.models import Department

    Department.objects.filter(slug="mot").update(contact_name="王联络", contact_phone="010-65290000")
    page = sheet_rows(client_for(personas.ministry).get(reverse("cases-referral-print", args=[referral.pk])))
    assert "承办单位" in page and "王联络" in page and "010-65290000" in page


def test_the_referral_sheet_gives_the_basis_of_the_referral(client_for, personas, referral):
    page = sheet_rows(client_for(personas.ministry).get(reverse("cases-referral-print", args=[referral.pk])))
    assert "转办依据" in page and "工信厅政法函〔2020〕54号" in page and "签发人" in page


def test_the_supervision_sheet_of_a_referral_names_the_department_to_act(client_for, personas, chain):
    from chainwork.models import Department

    Department.objects.filter(slug="mot").update(contact_name="王联络", contact_phone="010-65290000")
    case = routed(personas, chain)
    perform(case_id=case.pk, action="supervise", actor=personas.ministry,
            data={"level": "supervise", "due_date": in_days(3), "note": "请加快", "referral": referral_of(case).pk})
    page = sheet_rows(client_for(personas.ministry).get(reverse("cases-supervision-print", args=[case.pk])))
    assert "被督办单位" in page and "交通运输部（主办）" in page and "王联络" in page


def test_the_supervision_sheet_of_a_local_problem_names_the_responsible_unit(client_for, personas, chain):
    case = case_in("local", personas, chain)
    perform(case_id=case.pk, action="supervise", actor=personas.ministry,
            data={"level": "supervise", "due_date": in_days(3), "note": "请加快"})
    page = sheet_rows(client_for(personas.ministry).get(reverse("cases-supervision-print", args=[case.pk])))
    assert "武汉市经信局" in page and "李工" in page and "027-12345678" in page


def test_the_supervision_sheet_gives_the_instruction_and_the_chasing_as_its_basis(client_for, personas, chain):
    case = case_in("local", personas, chain)
    perform(case_id=case.pk, action="instruct", actor=personas.ministry,
            data={"text": "请湖北省尽快协调解决", "due_date": in_days(2)})
    perform(case_id=case.pk, action="urge", actor=personas.ministry, data={"note": "请抓紧"})
    perform(case_id=case.pk, action="supervise", actor=personas.ministry,
            data={"level": "supervise", "due_date": in_days(3), "note": ""})
    page = sheet_rows(client_for(personas.ministry).get(reverse("cases-supervision-print", args=[case.pk])))
    assert "督办依据" in page and "领导批示：请湖北省尽快协调解决" in page and "此前已催办1次" in page


def test_the_problem_sheet_of_a_routed_problem_names_the_departments(client_for, personas, chain):
    case = routed(personas, chain)
    page = sheet_rows(client_for(personas.hubei).get(reverse("cases-print", args=[case.pk])))
    assert "交通运输部（主办）" in page and "财政部（协办）" in page and "交办依据" in page


def test_the_problem_sheet_of_a_local_problem_names_the_unit_person_and_deadline(client_for, personas, chain):
    case = case_in("local", personas, chain)
    page = sheet_rows(client_for(personas.hubei).get(reverse("cases-print", args=[case.pk])))
    assert "武汉市经信局" in page and "李工" in page and "前</td>" in page
