"""Bad input on the HTML forms: whatever is typed (or forged), never a server error, nothing half-written,
the reason in the user's language, and every text escaped on the way back to a page.

Each property posts generated input as a real user and checks the outcome both ways: accepted means one
more row and a page that shows it escaped; refused means the same rows as before and a Chinese message.
"""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.models import Case, CaseEvent
from cases.workflow import perform
from chainwork.errors import ValidationError
from chainwork.models import Category
from enterprises.models import Enterprise, StatusReport
from liaison.models import ContactRecord
from policies.catalogue import load_policies
from policies.models import Policy, PolicyApplication
from tests.cases.workflow_support import new_case
from tests.factories import make_credit_code
from tests.liaison.conftest import assign
from tests.reliability.conftest import PROFILE
from tests.reliability.support import (
    assert_no_formula,
    assert_page_is_sane,
    assert_refused_in_chinese,
    csv_cells,
    texts,
    xlsx_cells,
)

pytestmark = pytest.mark.django_db

numbers = st.one_of(st.integers(min_value=-(10**20), max_value=10**20).map(str),
                    st.decimals(allow_nan=True, allow_infinity=True).map(str), texts(30), st.just(""))
dates = st.one_of(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat),
                  texts(20), st.just(""))
datetimes = st.one_of(
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31, 23, 59)).map(
        lambda value: value.isoformat(timespec="minutes")),
    texts(20), st.just(""))
credit_codes = st.one_of(texts(40), st.integers(1, 10**7).map(lambda n: make_credit_code("420100", n)))


def follow(client, response):
    """The page a successful form redirects to, checked like every other page."""
    page = client.get(response.url)
    assert_page_is_sane(page)
    return page


# --- 重点企业名单: create and edit ------------------------------------------------------------------------

enterprise_fields = st.fixed_dictionaries({
    "name": texts(), "location": st.sampled_from(["domestic", "abroad", "", "月球"]), "credit_code": credit_codes,
    "region": st.sampled_from(["42", "44", "", "99", "<cw-xss>"]), "country": texts(80),
    "city": texts(80), "county": texts(80), "industry": st.sampled_from(["", "C", "Z", "<cw-xss>"]),
    "size": st.sampled_from(["", "large", "huge"]), "is_lead": st.sampled_from(["", "on"]), "address": texts(),
    "contact_name": texts(40), "contact_position": texts(40), "contact_phone": texts(40), "notes": texts(),
})


@PROFILE
@given(fields=enterprise_fields)
def test_enterprise_create_form_takes_anything(personas, client, fields):
    client.force_login(personas.hubei)
    before = Enterprise.objects.count()
    response = client.post(reverse("enterprises-create"), fields)
    assert_page_is_sane(response)
    if response.status_code == 302:
        assert Enterprise.objects.count() == before + 1
        follow(client, response)
    else:
        assert Enterprise.objects.count() == before
        assert_refused_in_chinese(response)


@PROFILE
@given(fields=enterprise_fields)
def test_enterprise_edit_form_takes_anything(chain, client, personas, fields):
    enterprise = chain["hubei_customer"]
    client.force_login(personas.hubei)
    before = Enterprise.objects.values().get(pk=enterprise.pk)
    response = client.post(reverse("enterprises-edit", args=[enterprise.pk]),
                           {**fields, "version": Enterprise.objects.get(pk=enterprise.pk).version})
    assert_page_is_sane(response)
    if response.status_code == 302:
        follow(client, response)
    else:
        assert Enterprise.objects.values().get(pk=enterprise.pk) == before  # nothing half-saved
        assert_refused_in_chinese(response)


def test_enterprise_form_refuses_in_english_for_an_english_user(personas, client, settings):
    client.force_login(personas.hubei)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    before = Enterprise.objects.count()
    response = client.post(reverse("enterprises-create"), {"name": "   ", "location": "domestic", "region": "42",
                                                           "credit_code": "\x00"})
    assert response.status_code == 200 and Enterprise.objects.count() == before
    html = response.content.decode()
    assert "Null characters are not allowed." in html or "Enter the enterprise" in html


# --- 复工情况 ------------------------------------------------------------------------------------------


@PROFILE
@given(fields=st.fixed_dictionaries({
    "date": dates, "resumed": st.sampled_from(["yes", "partly", "no", "", "maybe"]), "staff_at_work": numbers,
    "staff_normal": numbers, "output": numbers, "output_normal": numbers, "capacity": numbers, "note": texts(),
}))
def test_status_report_form_takes_anything(chain, client, personas, fields):
    enterprise = chain["lead"]
    client.force_login(personas.hubei)
    reports = StatusReport.objects.filter(enterprise=enterprise)
    before = list(reports.order_by("date").values())
    response = client.post(reverse("enterprises-status", args=[enterprise.pk]), fields)
    assert_page_is_sane(response)
    if response.status_code == 302:
        assert reports.count() in (len(before), len(before) + 1)  # a day's report is corrected, not doubled
        follow(client, response)
    else:
        assert list(reports.order_by("date").values()) == before
        assert_refused_in_chinese(response)


# --- 登记问题 and the problem's action forms ---------------------------------------------------------------


@PROFILE
@given(data=st.data())
def test_problem_registration_form_takes_anything(chain, client, personas, data):
    categories = list(Category.objects.filter(is_active=True).values_list("pk", flat=True)[:3])
    fields = data.draw(st.fixed_dictionaries({
        "enterprise": st.one_of(st.just(str(chain["lead"].pk)), st.just(str(chain["guangdong_lead"].pk)),
                                texts(12)),
        "category": st.one_of(st.sampled_from([str(pk) for pk in categories]), texts(8)),
        "urgency": st.sampled_from(["normal", "urgent", "critical", "", "<cw-xss>"]),
        "source": st.sampled_from(["contact", "hotline", "", "x"]),
        "title": texts(), "description": texts(), "request": texts(),
        "named_enterprises": st.lists(st.one_of(st.just(str(chain["guangdong_supplier"].pk)),
                                                st.just(str(chain["zhejiang"].pk)), texts(6)), max_size=3),
    }))
    client.force_login(personas.hubei)
    before = (Case.objects.count(), CaseEvent.objects.count())
    response = client.post(reverse("cases-create"), fields)
    assert_page_is_sane(response)
    if response.status_code == 302:
        assert (Case.objects.count(), CaseEvent.objects.count()) == (before[0] + 1, before[1] + 1)
        follow(client, response)
    else:
        assert (Case.objects.count(), CaseEvent.objects.count()) == before
        assert_refused_in_chinese(response)


@PROFILE
@given(fields=st.fixed_dictionaries({"unit": texts(), "person": texts(40), "phone": texts(40), "due_date": dates,
                                     "note": texts(), "version": st.one_of(st.just("1"), texts(5))}))
def test_handle_locally_form_takes_anything(chain, client, personas, fields):
    case = new_case(personas, chain)
    client.force_login(personas.hubei)
    events = CaseEvent.objects.filter(case=case)
    before = events.count()
    response = client.post(reverse("cases-action", args=[case.pk, "handle-locally"]), fields)
    assert_page_is_sane(response)
    case.refresh_from_db()
    if response.status_code == 302:
        assert case.state == "local" and events.count() == before + 1
        follow(client, response)
    else:
        assert case.state == "new" and events.count() == before
        assert_refused_in_chinese(response)


@settings(PROFILE, max_examples=10)
@given(note=texts(), visibility=st.sampled_from(["shared", "internal", "", "<cw-xss>"]))
def test_comment_form_takes_anything_and_the_timeline_escapes_it(chain, client, personas, note, visibility):
    case = Case.objects.first() or new_case(personas, chain)
    client.force_login(personas.hubei)
    before = CaseEvent.objects.filter(case=case).count()
    response = client.post(reverse("cases-action", args=[case.pk, "comment"]),
                           {"text": note, "note": note, "visibility": visibility})
    assert_page_is_sane(response)
    if response.status_code == 302:
        assert CaseEvent.objects.filter(case=case).count() == before + 1
        follow(client, response)
    else:
        assert CaseEvent.objects.filter(case=case).count() == before
        assert_refused_in_chinese(response)


# --- 联系服务记录 ------------------------------------------------------------------------------------------


@PROFILE
@given(fields=st.fixed_dictionaries({
    "channel": st.sampled_from(["phone", "visit", "", "pigeon"]), "contacted_at": datetimes, "summary": texts(),
    "problems_raised": texts(), "participants": texts(), "next_follow_up": dates,
}))
def test_contact_record_form_takes_anything(personas, client, fields):
    assignment = assign(personas.liaison_hubei)
    client.force_login(personas.liaison_hubei)
    before = ContactRecord.objects.count()
    response = client.post(reverse("enterprises-contact-create"), {"enterprise": assignment.enterprise.pk, **fields})
    assert_page_is_sane(response)
    if response.status_code == 302:
        assert ContactRecord.objects.count() == before + 1
        follow(client, response)
    else:
        assert ContactRecord.objects.count() == before
        assert_refused_in_chinese(response)


def test_contact_in_the_year_one_is_refused_not_a_server_error(personas, client):
    """The year 1 cannot be turned into local time (OverflowError): it was a 500."""
    assignment = assign(personas.liaison_hubei)
    client.force_login(personas.liaison_hubei)
    response = client.post(reverse("enterprises-contact-create"), {
        "enterprise": assignment.enterprise.pk, "channel": "phone", "contacted_at": "0001-01-01T00:00",
        "summary": "电话了解情况"})
    assert response.status_code == 200 and not ContactRecord.objects.exists()
    assert "联系时间有误" in response.content.decode()


# --- 政策落实 ------------------------------------------------------------------------------------------


@PROFILE
@given(fields=st.fixed_dictionaries({
    "status": st.sampled_from(["recommended", "applied", "granted", "refused", "", "x"]), "date": dates,
    "amount_wan": numbers, "notes": texts(3000), "case": st.one_of(st.just(""), texts(5)),
}))
def test_policy_application_form_takes_anything(chain, client, personas, fields):
    load_policies()
    policy = Policy.objects.filter(is_active=True).first()
    client.force_login(personas.hubei)
    before = PolicyApplication.objects.count()
    response = client.post(reverse("policies-application-create"),
                           {"enterprise": chain["lead"].pk, "policy": policy.pk, **fields})
    if response.status_code == 404:  # a case id that names no visible problem
        assert PolicyApplication.objects.count() == before
        return
    assert_page_is_sane(response)
    if response.status_code == 302:
        assert PolicyApplication.objects.count() == before + 1
        follow(client, response)
    else:
        assert PolicyApplication.objects.count() == before
        assert_refused_in_chinese(response)


# --- 登录 ----------------------------------------------------------------------------------------------


@PROFILE
@given(username=texts(200), password=texts(200))
def test_login_form_takes_anything(personas, client, username, password):
    AccessAttempt.objects.all().delete()  # each example starts without a lockout
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert_page_is_sane(response)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert_refused_in_chinese(response)


# --- what was typed comes out inert in the exports ----------------------------------------------------------

FORMULAS = st.tuples(st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\x01=", "\x1b+"]), texts(40)).map("".join)


@settings(PROFILE, max_examples=8)
@given(name=FORMULAS, contact=FORMULAS, title=FORMULAS)
def test_formulas_typed_into_forms_are_inert_in_every_export(chain, client, personas, name, contact, title):
    client.force_login(personas.hubei)
    code = make_credit_code("420100", 5_000_000 + Enterprise.objects.count())
    client.post(reverse("enterprises-create"), {"name": f"{name}公司", "location": "domestic", "region": "42",
                                                "credit_code": code, "contact_name": contact[:32]})
    category = Category.objects.filter(is_active=True).first()
    client.post(reverse("cases-create"), {"enterprise": chain["lead"].pk, "category": category.pk,
                                          "urgency": "normal", "source": "contact", "title": title[:200] or "=",
                                          "description": title, "request": title})
    for url in (reverse("enterprises-export"), reverse("cases-export")):
        as_csv = client.get(url, {"format": "csv"})
        as_xlsx = client.get(url, {"format": "xlsx"})
        assert as_csv.status_code == as_xlsx.status_code == 200
        assert_no_formula(csv_cells(as_csv.getvalue()))
        assert_no_formula(xlsx_cells(as_xlsx.getvalue()))


def test_a_control_character_typed_into_a_name_does_not_break_the_excel_export(personas, client):
    """openpyxl refuses control characters: a name typed with one made every list export a 500."""
    client.force_login(personas.hubei)
    response = client.post(reverse("enterprises-create"), {
        "name": "控制\x01字符\x1b=1+1有限公司", "location": "domestic", "region": "42",
        "credit_code": make_credit_code("420100", 77), "city": "武\x02汉"})
    assert response.status_code == 302
    export = client.get(reverse("enterprises-export"), {"format": "xlsx"})
    assert export.status_code == 200
    rows = xlsx_cells(export.getvalue())
    assert ["控制字符=1+1有限公司", "武汉"] == [v for v in rows[-1] if v in ("控制字符=1+1有限公司", "武汉")]


# --- ids that look like numbers to str.isdigit() but not to int(): "²" was a 500 in several places -----------


def test_a_superscript_version_on_an_action_form_is_not_a_server_error(chain, client, personas):
    case = new_case(personas, chain)
    client.force_login(personas.hubei)
    response = client.post(reverse("cases-action", args=[case.pk, "comment"]), {"text": "意见", "version": "²"})
    assert response.status_code == 302 and CaseEvent.objects.filter(case=case, action="comment").count() == 1


def test_superscript_ids_on_the_registration_form_are_refused(chain, client, personas):
    client.force_login(personas.hubei)
    response = client.post(reverse("cases-create"), {"enterprise": "²", "named_enterprises": ["³"], "title": "标题",
                                                     "description": "描述", "request": "诉求", "urgency": "normal"})
    assert response.status_code == 400 and not Case.objects.exists()
    assert_refused_in_chinese(response)


def test_a_superscript_referral_on_an_urge_is_refused(chain, personas):
    """The API hands the body to perform() as sent; "²" passed isdigit() and then failed int(): a 500."""
    case = new_case(personas, chain)
    with pytest.raises(ValidationError) as refused:
        perform(case_id=case.pk, action="urge", actor=personas.ministry, data={"note": "请抓紧", "referral": "²"})
    assert "转办编号应为整数" in str(refused.value.message_dict["referral"])
    assert not CaseEvent.objects.filter(case=case, action="urge").exists()


def test_a_nul_in_an_action_body_is_refused(chain, personas):
    """Action bodies reach perform() unvalidated (pages and API): a NUL went on to PostgreSQL, a 500."""
    case = new_case(personas, chain)
    with pytest.raises(ValidationError) as refused:
        perform(case_id=case.pk, action="comment", actor=personas.hubei, data={"text": "意见\x00"})
    assert list(refused.value.message_dict) == ["text"]
    assert not CaseEvent.objects.filter(case=case, action="comment").exists()


def test_odd_ids_in_the_address_of_the_contact_and_policy_forms_are_not_server_errors(chain, client, personas):
    assign(personas.liaison_hubei)
    client.force_login(personas.liaison_hubei)
    assert client.get(reverse("enterprises-contact-create"), {"enterprise": "²"}).status_code == 200
    client.force_login(personas.hubei)
    url = reverse("policies-application-create")
    assert client.get(url, {"enterprise": "²"}).status_code == 404
    assert client.get(url, {"enterprise": chain["lead"].pk, "case": ":"}).status_code == 404
    assert client.post(url, {"enterprise": "abc", "policy": "1"}).status_code == 404
