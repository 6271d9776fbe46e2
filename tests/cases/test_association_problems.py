"""A 行业协会 registers an enterprise's difficulty on its behalf (design.md "行业协会"): it lands as a new
problem (待研判) of the enterprise's province, source 行业协会 with the association named, the province's
work group is told, and the association follows it in the limited view — nothing else of the 问题台账."""

import pytest

from cases.models import CaseEvent, Source, State, Visibility
from cases.services import CaseData, case_create
from cases.tasks import notify_case_event
from cases.workflow import perform
from chainwork.errors import ValidationError
from chainwork.models import Category, Notification, User
from tests.factories import EnterpriseFactory, automotive, region

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"


@pytest.fixture
def covered(chain):
    """The Hubei lead is an automotive enterprise: the association covers it."""
    chain["lead"].key_fields.add(automotive())
    return chain["lead"]


def difficulty(enterprise, **extra) -> CaseData:
    values = {"title": "车规级芯片库存告急", "description": "库存仅够三天", "request": "请协调芯片供应", **extra}
    return CaseData(enterprise_id=enterprise.pk, category_id=Category.objects.get(slug="supply-chain").pk, **values)


@pytest.fixture
def registered(personas, covered):
    return case_create(actor=personas.association, data=difficulty(covered))


def test_a_registered_difficulty_is_a_new_problem_of_the_enterprise_province(registered):
    assert (registered.region_id, registered.state) == ("42", State.NEW)


def test_a_registered_difficulty_has_the_source_association_and_names_it(registered, personas):
    assert (registered.source, registered.association) == (Source.ASSOCIATION, personas.association.association)


def test_a_registered_difficulty_has_no_handler_until_the_province_takes_it_up(registered):
    assert registered.handler_id is None


def test_the_province_work_group_is_told_of_a_registered_difficulty(registered, personas):
    event = registered.events.get(action="create")
    notify_case_event(event.pk)
    told = set(Notification.objects.filter(case_event_id=event.pk).values_list("user", flat=True))
    assert told == {personas.hubei.pk, personas.hubei_lead.pk}


def test_the_notice_names_the_problem_and_links_to_it(registered):
    event = registered.events.get(action="create")
    notify_case_event(event.pk)
    notice = Notification.objects.filter(case_event_id=event.pk).first()
    assert registered.number in notice.title and notice.url == f"/cases/{registered.pk}/"


def test_a_problem_a_province_official_registers_tells_nobody(personas, covered):
    case = case_create(actor=personas.hubei, data=difficulty(covered))
    notify_case_event(case.events.get(action="create").pk)
    assert not Notification.objects.exists()


def test_an_association_cannot_register_for_an_enterprise_it_does_not_cover(personas, chain):
    with pytest.raises(ValidationError) as error:
        case_create(actor=personas.association, data=difficulty(chain["hubei_customer"]))
    assert "enterprise" in error.value.message_dict


def test_the_source_is_association_whatever_the_association_sends(personas, covered):
    case = case_create(actor=personas.association, data=difficulty(covered, source=Source.HOTLINE))
    assert case.source == Source.ASSOCIATION


def test_a_province_official_cannot_claim_the_source_association(personas, covered):
    with pytest.raises(ValidationError) as error:
        case_create(actor=personas.hubei, data=difficulty(covered, source=Source.ASSOCIATION))
    assert "source" in error.value.message_dict


def test_an_enterprise_of_guangdong_lands_with_guangdong(personas):
    enterprise = EnterpriseFactory(region=region("44"))
    enterprise.key_fields.add(automotive())
    case = case_create(actor=personas.association, data=difficulty(enterprise))
    assert case.number.startswith("粤")


# --- what the association sees ---------------------------------------------------------------------------


def test_the_association_sees_its_problem_in_the_limited_view_only(api_client, personas, registered):
    api_client.force_authenticate(personas.association)
    assert api_client.get(f"{CASES}{registered.pk}/").json()["view"] == "limited"


def test_the_association_does_not_see_another_problem_of_its_enterprise(api_client, personas, covered):
    other = case_create(actor=personas.hubei, data=difficulty(covered))
    api_client.force_authenticate(personas.association)
    assert api_client.get(f"{CASES}{other.pk}/").status_code == 404


def test_the_association_reads_no_internal_comment(api_client, personas, registered):
    perform(case_id=registered.pk, action="comment", actor=personas.hubei,
            data={"text": "省内部：企业资金链紧张", "visibility": "internal"})
    api_client.force_authenticate(personas.association)
    events = api_client.get(f"{CASES}{registered.pk}/").json()["events"]
    assert all(event["visibility"] == Visibility.SHARED for event in events)


def test_the_association_reads_the_state_changes_of_its_problem(api_client, personas, registered):
    perform(case_id=registered.pk, action="handle-locally", actor=personas.hubei, data={
        "unit": "武汉市经济和信息化局", "person": "李明", "phone": "027-66668888", "due_date": "2099-01-01"})
    api_client.force_authenticate(personas.association)
    body = api_client.get(f"{CASES}{registered.pk}/").json()
    assert body["state"] == State.LOCAL and "handle-locally" in [e["action"] for e in body["events"]]


def test_the_association_reads_no_share_with_another_region(api_client, personas, registered):
    perform(case_id=registered.pk, action="share", actor=personas.ministry, data={"region": "44", "note": "请协办"})
    api_client.force_authenticate(personas.association)
    events = api_client.get(f"{CASES}{registered.pk}/").json()["events"]
    assert CaseEvent.Kind.SHARE not in [e["kind"] for e in events]


def test_the_limited_view_names_the_association(api_client, personas, registered):
    api_client.force_authenticate(personas.association)
    assert api_client.get(f"{CASES}{registered.pk}/").json()["association"] == "测试汽车产业协会"


def test_the_association_cannot_triage_its_problem(api_client, personas, registered):
    api_client.force_authenticate(personas.association)
    response = api_client.post(f"{CASES}{registered.pk}/submit/", {}, format="json")
    assert response.status_code == 403


def test_an_association_of_another_name_does_not_see_the_problem(api_client, personas, registered):
    from tests.factories import UserFactory, auto_association

    other = UserFactory(role="association", region=None, association=auto_association(name="另一家汽车协会"))
    api_client.force_authenticate(other)
    assert api_client.get(f"{CASES}{registered.pk}/").status_code == 404


# --- the API --------------------------------------------------------------------------------------------


def _post(api_client, user, enterprise, **extra):
    api_client.force_authenticate(user)
    return api_client.post(CASES, {"enterprise": enterprise.pk, "category": "supply-chain", "title": "芯片断供",
                                   "description": "库存仅够三天", "request": "请协调芯片供应", **extra}, format="json")


def test_the_association_registers_through_the_api(api_client, personas, covered):
    response = _post(api_client, personas.association, covered)
    assert (response.status_code, response.json()["state"]) == (201, State.NEW)


def test_the_api_answers_the_association_in_the_limited_view(api_client, personas, covered):
    body = _post(api_client, personas.association, covered).json()
    assert (body["view"], body["source"]) == ("limited", Source.ASSOCIATION)


def test_the_api_answers_400_for_an_enterprise_the_association_does_not_cover(api_client, personas, chain):
    response = _post(api_client, personas.association, chain["hubei_customer"])
    assert (response.status_code, list(response.json())) == (400, ["enterprise"])


def test_the_api_list_of_the_association_is_the_problems_it_registered(api_client, personas, registered, covered):
    case_create(actor=personas.hubei, data=difficulty(covered))
    api_client.force_authenticate(personas.association)
    rows = api_client.get(CASES).json()["results"]
    assert [(row["id"], row["view"]) for row in rows] == [(registered.pk, "limited")]


def test_the_api_list_of_the_association_costs_the_same_for_many_rows(api_client, personas, covered):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        api_client.force_authenticate(User.objects.get(pk=personas.association.pk))
        api_client.get(CASES)  # warms the per-process caches the first request fills
        with CaptureQueriesContext(connection) as captured:
            assert api_client.get(CASES).status_code == 200
        return len(captured)

    case_create(actor=personas.association, data=difficulty(covered))
    few = queries()
    for _n in range(9):
        case_create(actor=personas.association, data=difficulty(covered))
    assert queries() == few


# --- the pages -----------------------------------------------------------------------------------------------


def test_registered_problem_lands_in_the_hubei_ledger_as_new_with_its_source(api_client, client_for, personas,
                                                                             covered):
    number = _post(api_client, personas.association, covered).json()["number"]
    page = client_for(personas.hubei).get("/cases/", {"state": "new"}).content.decode()
    assert number in page and "来源：行业协会（测试汽车产业协会）" in page


def test_the_problem_page_shows_the_source_association_to_the_province(client_for, personas, registered):
    page = client_for(personas.hubei).get(f"/cases/{registered.pk}/").content.decode()
    assert "行业协会（测试汽车产业协会）" in page


def test_the_register_page_registers_a_difficulty(client_for, personas, covered):
    response = client_for(personas.association).post("/cases/register/", {
        "enterprise": covered.pk, "category": Category.objects.get(slug="supply-chain").pk, "urgency": "normal",
        "title": "芯片断供", "request": "请协调芯片供应", "description": "库存仅够三天"})
    assert response.status_code == 302 and covered.cases.get().source == Source.ASSOCIATION


def test_the_register_page_answers_an_enterprise_not_covered_with_a_message(client_for, personas, chain):
    response = client_for(personas.association).post("/cases/register/", {
        "enterprise": chain["hubei_customer"].pk, "category": Category.objects.get(slug="supply-chain").pk,
        "urgency": "normal", "title": "芯片断供", "request": "请协调芯片供应", "description": "库存仅够三天"})
    assert response.status_code == 400 and "请选择本协会覆盖范围内的企业。" in response.content.decode()


def test_the_register_page_finds_covered_enterprises_only(client_for, personas, covered, chain):
    page = client_for(personas.association).get("/cases/register/", {"q": "有限公司"}).content.decode()
    assert covered.name in page and chain["hubei_customer"].name not in page


def test_the_province_register_page_sends_an_association_to_its_own(client_for, personas):
    response = client_for(personas.association).get("/cases/new/")
    assert response.status_code == 302 and response["Location"] == "/cases/register/"


def test_the_registered_page_lists_the_association_problems(client_for, personas, registered, covered):
    other = case_create(actor=personas.hubei, data=difficulty(covered, title="省专班登记的问题"))
    page = client_for(personas.association).get("/cases/registered/").content.decode()
    assert registered.number in page and other.number not in page


def test_the_registered_page_shows_closed_ones_apart(client_for, personas, registered):
    page = client_for(personas.association).get("/cases/registered/", {"state": "closed"}).content.decode()
    assert registered.number not in page


def test_the_registered_page_costs_the_same_for_many_rows(client, personas, covered):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        client.force_login(User.objects.get(pk=personas.association.pk))
        client.get("/cases/registered/")  # warms the per-process caches the first request fills
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/cases/registered/").status_code == 200
        return len(captured)

    case_create(actor=personas.association, data=difficulty(covered))
    few = queries()
    for _n in range(9):
        case_create(actor=personas.association, data=difficulty(covered))
    assert queries() == few


def test_the_association_problem_page_shows_no_internal_comment(client_for, personas, registered):
    perform(case_id=registered.pk, action="comment", actor=personas.hubei,
            data={"text": "省内部：企业资金链紧张", "visibility": "internal"})
    page = client_for(personas.association).get(f"/cases/{registered.pk}/").content.decode()
    assert "企业资金链紧张" not in page


def test_the_association_problem_page_shows_the_registered_time_in_local_time(client_for, personas, registered):
    from django.utils import timezone

    page = client_for(personas.association).get(f"/cases/{registered.pk}/").content.decode()
    assert timezone.localtime(registered.created_at).strftime("%Y-%m-%d %H:%M") in page
