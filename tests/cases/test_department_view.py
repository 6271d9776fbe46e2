"""A department's view of a problem referred to it (design.md "A department's view", issue 19): what it
needs and whom to call, its referrals with their lights, the shared timeline — never internal comments or
the enterprise's contacts; its home (工作台) of referrals and its menu."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.referrals import ANSWERED_LATE, ANSWERED_ON_TIME, department_queue, perform_referral, referral_light
from cases.workflow import perform
from chainwork.menu import menu_for
from tests.cases.workflow_support import ROUTE_MOT, case_in

pytestmark = pytest.mark.django_db

INTERNAL = "部专班内部研判：此事需要请示领导"
PROVINCE_NOTE = "省内部意见：企业曾多次反映"
CONTACT = "王联系人"
CONTACT_PHONE = "13912345678"


@pytest.fixture
def routed(personas, chain):
    lead = chain["lead"]
    lead.contact_name, lead.contact_phone = CONTACT, CONTACT_PHONE
    lead.save(update_fields=["contact_name", "contact_phone"])
    reporter = personas.hubei
    reporter.display_name, reporter.phone, reporter.unit = "张登记", "027-88886666", "湖北省经信厅"
    reporter.save(update_fields=["display_name", "phone", "unit"])
    case = case_in("routed", personas, chain)
    perform(case_id=case.pk, action="comment", actor=personas.ministry, data={"text": INTERNAL,
                                                                                "visibility": "internal"})
    perform(case_id=case.pk, action="comment", actor=personas.hubei, data={"text": PROVINCE_NOTE,
                                                                             "visibility": "internal"})
    perform(case_id=case.pk, action="comment", actor=personas.hubei, data={"text": "公开意见：已联系企业"})
    return case


@pytest.fixture
def page(client, personas, routed):
    client.force_login(personas.dept_mot)
    return client.get(reverse("cases-detail", args=[routed.pk])).content.decode()


@pytest.fixture
def api_view(api_client, personas, routed):
    api_client.force_authenticate(personas.dept_mot)
    return api_client.get(f"/api/v1/cases/{routed.pk}/").json()


# --- the page ---------------------------------------------------------------------------------------------

def test_page_shows_the_description(page, routed):
    assert routed.description in page


def test_page_shows_the_named_enterprises_credit_codes(page, chain):
    assert chain["guangdong_supplier"].credit_code in page


def test_page_names_the_reporter_and_phone_as_the_official(page):
    assert "张登记" in page and "027-88886666" in page


def test_page_names_the_local_official_when_handled_locally(client, personas, chain):
    case = case_in("local", personas, chain)
    for action, user, data in [("submit", "hubei", {}), ("approve", "hubei_lead", {}), ("accept", "ministry", {}),
                               ("route", "ministry", ROUTE_MOT)]:
        perform(case_id=case.pk, action=action, actor=getattr(personas, user), data=data)
    client.force_login(personas.dept_mot)
    body = client.get(reverse("cases-detail", args=[case.pk])).content.decode()
    assert "李工" in body and "027-12345678" in body


def test_page_shows_the_public_comment(page):
    assert "公开意见：已联系企业" in page


def test_page_never_shows_the_ministrys_internal_comment(page):
    assert INTERNAL not in page


def test_page_never_shows_the_provinces_internal_note(page):
    assert PROVINCE_NOTE not in page


def test_page_never_shows_the_enterprise_contact(page):
    assert CONTACT not in page and CONTACT_PHONE not in page


def test_page_offers_the_referral_forms(page, routed):
    referral = routed.referrals.get()
    assert f'data-testid="q-respond-{referral.pk}"' in page and f'data-testid="q-extend-{referral.pk}"' in page


def test_another_department_gets_404(client, personas, routed):
    client.force_login(personas.dept_mof)
    assert client.get(reverse("cases-detail", args=[routed.pk])).status_code == 404


# --- the API ----------------------------------------------------------------------------------------------

def test_api_gives_the_department_view(api_view, routed):
    assert api_view["department_view"]["description"] == routed.description


def test_api_names_the_official(api_view):
    view = api_view["department_view"]
    assert (view["official"], view["official_phone"]) == ("张登记", "027-88886666")


def test_api_lists_the_enterprises_with_credit_codes(api_view, chain):
    codes = {row["credit_code"] for row in api_view["department_view"]["enterprises"]}
    assert chain["guangdong_supplier"].credit_code in codes


def test_api_lists_its_referral_with_its_light(api_view, routed):
    referral = api_view["department_view"]["referrals"][0]
    assert (referral["id"], referral["light"]) == (routed.referrals.get().pk, "green")


def test_api_never_carries_internal_comments(api_view):
    notes = {event["note"] for event in api_view["events"]}
    assert INTERNAL not in notes and PROVINCE_NOTE not in notes


def test_api_never_carries_the_enterprise_contact(api_view):
    text = str(api_view)
    assert CONTACT not in text and CONTACT_PHONE not in text


def test_api_a_province_asked_for_xiezhu_gets_no_department_view(api_client, personas, routed):
    perform(case_id=routed.pk, action="share", actor=personas.ministry, data={"region": "44", "note": "请协助"})
    api_client.force_authenticate(personas.guangdong)
    assert api_client.get(f"/api/v1/cases/{routed.pk}/").json()["department_view"] is None


# --- the referral's light ---------------------------------------------------------------------------------

def test_a_referral_answered_in_time_is_no_longer_overdue(personas, routed):
    referral = perform_referral(referral_id=routed.referrals.get().pk, action="respond", actor=personas.dept_mot,
                                data={"response": "已办"})
    assert referral_light(referral) == ANSWERED_ON_TIME


def test_a_referral_answered_after_its_deadline_is_late(personas, routed):
    referral = perform_referral(referral_id=routed.referrals.get().pk, action="respond", actor=personas.dept_mot,
                                data={"response": "已办"})
    referral.due_date = timezone.localdate() - dt.timedelta(days=2)
    assert referral_light(referral) == ANSWERED_LATE


# --- home and menu ------------------------------------------------------------------------------------------

def test_the_queue_is_due_soonest_first(personas, chain):
    later = case_in("routed", personas, chain)  # due in 7 days
    sooner = case_in("accepted", personas, chain, title="更急的问题")
    soon = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    perform(case_id=sooner.pk, action="route", actor=personas.ministry,
            data={"referrals": [{"department": "mot", "role": "lead", "due_date": soon}]})
    assert [r.case_id for r in department_queue(personas.dept_mot)] == [sooner.pk, later.pk]


def test_the_home_lists_the_pending_referral_with_its_forms(client, personas, routed):
    client.force_login(personas.dept_mot)
    body = client.get(reverse("home")).content.decode()
    referral = routed.referrals.get()
    assert 'data-testid="department-queue"' in body and f'data-testid="q-send-back-{referral.pk}"' in body


def test_the_home_lists_recently_answered(client, personas, routed):
    perform_referral(referral_id=routed.referrals.get().pk, action="respond", actor=personas.dept_mot,
                     data={"response": "已办"})
    client.force_login(personas.dept_mot)
    body = client.get(reverse("home")).content.decode()
    assert 'data-testid="department-answered"' in body and 'data-light="answered_on_time"' in body


def test_the_home_query_count_does_not_grow_with_referrals(client, personas, chain):
    def queries() -> int:
        client.get(reverse("home"))  # warm the per-process caches
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("home"))
        return len(captured)

    case_in("routed", personas, chain)
    client.force_login(personas.dept_mot)
    one = queries()
    for _n in range(3):
        case_in("routed", personas, chain)
    assert queries() == one


def test_the_referral_board_offers_the_extension_form(client, personas, routed):
    client.force_login(personas.dept_mot)
    body = client.get(reverse("cases-referrals")).content.decode()
    assert f'data-testid="extend-{routed.referrals.get().pk}"' in body


def test_the_department_menu_has_no_ledger(personas):
    assert "cases" not in {entry["key"] for entry in menu_for(personas.dept_mot)}


def test_a_province_menu_keeps_the_ledger(personas):
    assert "cases" in {entry["key"] for entry in menu_for(personas.hubei)}
