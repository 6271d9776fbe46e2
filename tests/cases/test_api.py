"""The problem API (design.md Contract): /api/v1/cases/ and POST /api/v1/cases/{id}/<action>/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from cases.models import Case
from cases.workflow import ACTIONS
from liaison.models import LiaisonAssignment
from tests.cases.fixtures_api import (
    CASES,
    DISSATISFIED,
    ESCALATION,
    LOCAL,
    LOCAL_HANDLING,
    RESPONSE,
    SATISFIED,
    act,
    hubei_case,
    ids,
    make_chain,
    new_case,
    url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(personas):
    return make_chain()


@pytest.fixture
def as_user(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


@pytest.fixture
def hubei_problem(personas, chain):
    return hubei_case(personas, chain)


@pytest.fixture
def guangdong_problem(personas, chain):
    return new_case(personas.guangdong, chain["guangdong_lead"], title="纺织原料断供")


@pytest.fixture
def zhejiang_problem(personas, chain):
    return new_case(personas.zhejiang, chain["zhejiang_lead"], title="化工原料运输受阻")


@pytest.fixture
def shared_with_guangdong(personas, chain):
    case = hubei_case(personas, chain, "accepted")
    return act(case, "share", personas.ministry, {"region": "44", "note": "请广东协调深圳供应商恢复供货"})


def post(client, case, action, body=None, **extra):
    return client.post(url(case, action), body or {}, format="json", **extra)


# --- who sees what ---------------------------------------------------------------------------------------


def test_hubei_official_lists_hubei_problems(as_user, personas, hubei_problem):
    assert hubei_problem.pk in ids(as_user(personas.hubei).get(CASES))


def test_hubei_official_does_not_list_guangdong_problems(as_user, personas, guangdong_problem):
    assert guangdong_problem.pk not in ids(as_user(personas.hubei).get(CASES))


def test_guangdong_official_gets_404_on_a_hubei_problem(as_user, personas, hubei_problem):
    assert as_user(personas.guangdong).get(url(hubei_problem)).status_code == 404


def test_guangdong_official_gets_404_on_an_action_their_role_could_take(as_user, personas, hubei_problem):
    assert post(as_user(personas.guangdong), hubei_problem, "submit").status_code == 404


def test_guangdong_official_action_on_a_hubei_problem_changes_nothing(as_user, personas, hubei_problem):
    post(as_user(personas.guangdong), hubei_problem, "submit")
    assert Case.objects.get(pk=hubei_problem.pk).state == "new"


def test_ministry_lists_problems_of_every_region(as_user, personas, hubei_problem, guangdong_problem,
                                                 zhejiang_problem):
    listed = ids(as_user(personas.ministry).get(CASES))
    assert {hubei_problem.pk, guangdong_problem.pk, zhejiang_problem.pk} <= listed


def test_ministry_liaison_lists_problems_of_covered_regions(as_user, personas, hubei_problem, guangdong_problem):
    listed = ids(as_user(personas.ministry_liaison).get(CASES))
    assert {hubei_problem.pk, guangdong_problem.pk} <= listed


def test_ministry_liaison_does_not_list_problems_of_other_regions(as_user, personas, zhejiang_problem):
    assert zhejiang_problem.pk not in ids(as_user(personas.ministry_liaison).get(CASES))


def test_ministry_liaison_gets_404_on_a_zhejiang_problem(as_user, personas, zhejiang_problem):
    assert as_user(personas.ministry_liaison).get(url(zhejiang_problem)).status_code == 404


def test_department_user_lists_no_problems(as_user, personas, hubei_problem, guangdong_problem):
    assert as_user(personas.dept_mot).get(CASES).json()["count"] == 0


def test_liaison_officer_lists_problems_naming_an_assigned_enterprise(as_user, personas, chain, hubei_problem):
    LiaisonAssignment.objects.create(enterprise=chain["guangdong_supplier"], officer=personas.liaison_guangdong)
    assert hubei_problem.pk in ids(as_user(personas.liaison_guangdong).get(CASES))


def test_liaison_officer_without_an_assignment_lists_nothing(as_user, personas, hubei_problem):
    assert as_user(personas.liaison_hubei).get(CASES).json()["count"] == 0


def test_anonymous_user_is_refused(api_client, hubei_problem):
    assert api_client.get(CASES).status_code in (401, 403)


# --- the list --------------------------------------------------------------------------------------------


def test_list_row_names_region_by_code_and_enterprise_by_id_and_name(as_user, personas, chain, hubei_problem):
    row = as_user(personas.hubei).get(CASES).json()["results"][0]
    assert row["region"] == "42"
    assert row["enterprise"] == {"id": chain["lead"].pk, "name": chain["lead"].name}
    assert row["category"] == "logistics"


def test_list_row_carries_state_label_light_and_version(as_user, personas, hubei_problem):
    row = as_user(personas.hubei).get(CASES).json()["results"][0]
    assert (row["state"], row["state_label"]) == ("new", "待研判")
    assert (row["light"], row["light_label"]) == ("green", "正常")
    assert row["version"] == 1


def test_list_row_has_no_description(as_user, personas, hubei_problem):
    assert "description" not in as_user(personas.hubei).get(CASES).json()["results"][0]


def test_list_without_filters_includes_closed_problems(as_user, personas, chain):
    closed = hubei_case(personas, chain, "closed")
    assert closed.pk in ids(as_user(personas.hubei).get(CASES))


def test_list_paginates_with_next(as_user, personas, chain):
    for n in range(3):
        new_case(personas.hubei, chain["lead"], title=f"问题{n}")
    page = as_user(personas.hubei).get(CASES, {"page_size": 2}).json()
    assert page["count"] == 3
    assert page["next"]


def test_list_filters_by_state(as_user, personas, chain, hubei_problem):
    submitted = hubei_case(personas, chain, "pending_approval")
    assert ids(as_user(personas.hubei).get(CASES, {"state": "pending_approval"})) == {submitted.pk}


def test_list_filters_by_light(as_user, personas, hubei_problem):
    client = as_user(personas.hubei)
    assert ids(client.get(CASES, {"light": "green"})) == {hubei_problem.pk}
    assert ids(client.get(CASES, {"light": "red"})) == set()


def test_list_filters_by_region_code(as_user, personas, hubei_problem, guangdong_problem):
    assert ids(as_user(personas.ministry).get(CASES, {"region": "44"})) == {guangdong_problem.pk}


def test_list_query_count_does_not_grow_with_the_problems(as_user, personas, chain, django_assert_max_num_queries):
    client = as_user(personas.ministry)
    for n in range(30):
        new_case(personas.hubei, chain["lead"], named=[chain["guangdong_supplier"]], title=f"问题{n}")
    with django_assert_max_num_queries(12):
        assert len(client.get(CASES).json()["results"]) == 30


def test_list_query_count_is_the_same_for_3_and_30_problems(as_user, personas, chain, django_assert_num_queries):
    client = as_user(personas.ministry)
    for n in range(3):
        new_case(personas.hubei, chain["lead"], title=f"问题{n}")
    client.get(CASES)  # the scope and the session are cached after the first request
    with CaptureQueriesContext(connection) as three:
        client.get(CASES)
    for n in range(27):
        new_case(personas.hubei, chain["lead"], title=f"更多问题{n}")
    with django_assert_num_queries(len(three.captured_queries)):
        client.get(CASES)


def test_shared_list_shows_the_problems_shared_with_the_region(as_user, personas, shared_with_guangdong):
    assert ids(as_user(personas.guangdong).get(CASES, {"shared": "true"})) == {shared_with_guangdong.pk}


def test_shared_list_rows_are_limited(as_user, personas, shared_with_guangdong):
    row = as_user(personas.guangdong).get(CASES, {"shared": "true"}).json()["results"][0]
    assert row["view"] == "limited"
    assert row["share_note"] == "请广东协调深圳供应商恢复供货"
    assert "description" not in row


def test_shared_problem_is_not_in_the_regions_own_list(as_user, personas, shared_with_guangdong):
    assert shared_with_guangdong.pk not in ids(as_user(personas.guangdong).get(CASES))


# --- one problem -----------------------------------------------------------------------------------------


def test_retrieve_shows_the_full_view(as_user, personas, hubei_problem):
    data = as_user(personas.hubei).get(url(hubei_problem)).json()
    assert data["view"] == "full"
    assert data["description"] == "深圳至武汉芯片运输受阻，库存仅够三天"


def test_retrieve_shows_named_enterprises_with_their_region(as_user, personas, chain, hubei_problem):
    named = as_user(personas.hubei).get(url(hubei_problem)).json()["named_enterprises"]
    assert [(e["id"], e["region"]) for e in named] == [(chain["guangdong_supplier"].pk, "44")]


def test_retrieve_of_a_new_problem_gives_the_escalation_reasons(as_user, personas, hubei_problem):
    reasons = as_user(personas.hubei).get(url(hubei_problem)).json()["escalation_reasons"]
    assert any("深圳鹏城芯片封装有限公司" in reason for reason in reasons)


def test_retrieve_of_an_escalated_problem_gives_no_escalation_reasons(as_user, personas, chain):
    case = hubei_case(personas, chain, "escalated")
    assert as_user(personas.hubei).get(url(case)).json()["escalation_reasons"] == []


def test_retrieve_lists_the_actions_the_user_may_take_now(as_user, personas, hubei_problem):
    actions = as_user(personas.hubei).get(url(hubei_problem)).json()["available_actions"]
    assert {"handle-locally", "submit", "comment"} <= set(actions)
    assert "approve" not in actions


def test_retrieve_gives_the_timeline(as_user, personas, chain):
    case = hubei_case(personas, chain, "pending_approval")
    events = as_user(personas.hubei).get(url(case)).json()["events"]
    assert [(e["action"], e["to_state"]) for e in events] == [("create", "new"), ("submit", "pending_approval")]


def test_retrieve_of_a_missing_problem_is_404(as_user, personas):
    assert as_user(personas.ministry).get(f"{CASES}987654321/").status_code == 404


def test_retrieve_with_a_non_numeric_id_is_404(as_user, personas):
    assert as_user(personas.ministry).get(f"{CASES}abc/").status_code == 404


# --- registering ---------------------------------------------------------------------------------------


def registration(chain, **fields) -> dict:
    return {"enterprise": chain["lead"].pk, "category": "logistics", "title": "芯片运输受阻",
            "description": "深圳至武汉芯片运输受阻", "request": "请协调开通运输绿色通道", "urgency": "urgent",
            "source": "hotline", "named_enterprises": [chain["guangdong_supplier"].pk], **fields}


def test_hubei_official_registers_a_problem(as_user, personas, chain):
    response = as_user(personas.hubei).post(CASES, registration(chain), format="json")
    assert response.status_code == 201
    assert (response.json()["state"], response.json()["region"]) == ("new", "42")
    assert response.json()["number"].startswith("鄂〔")


def test_registered_problem_names_the_other_enterprises(as_user, personas, chain):
    response = as_user(personas.hubei).post(CASES, registration(chain), format="json")
    assert [e["id"] for e in response.json()["named_enterprises"]] == [chain["guangdong_supplier"].pk]


def test_ministry_cannot_register_a_problem(as_user, personas, chain):
    assert as_user(personas.ministry).post(CASES, registration(chain), format="json").status_code == 403


def test_department_user_with_a_bad_body_hears_403_before_400(as_user, personas):
    assert as_user(personas.dept_mot).post(CASES, {"title": ""}, format="json").status_code == 403


def test_registering_with_an_unknown_category_is_400_on_category(as_user, personas, chain):
    response = as_user(personas.hubei).post(CASES, registration(chain, category="no-such"), format="json")
    assert response.status_code == 400
    assert "category" in response.json()


def test_registering_for_a_guangdong_enterprise_is_400_on_enterprise(as_user, personas, chain):
    body = registration(chain, enterprise=chain["guangdong_lead"].pk, named_enterprises=[])
    response = as_user(personas.hubei).post(CASES, body, format="json")
    assert response.status_code == 400
    assert "enterprise" in response.json()


def test_registering_without_a_title_is_400_on_title(as_user, personas, chain):
    response = as_user(personas.hubei).post(CASES, registration(chain, title=""), format="json")
    assert response.status_code == 400
    assert "title" in response.json()


def test_registering_with_an_unknown_urgency_is_400_on_urgency(as_user, personas, chain):
    response = as_user(personas.hubei).post(CASES, registration(chain, urgency="asap"), format="json")
    assert response.status_code == 400
    assert "urgency" in response.json()


# --- the escalation path, a step at a time ---------------------------------------------------------------


def test_hubei_official_submits_a_new_problem(as_user, personas, hubei_problem):
    response = post(as_user(personas.hubei), hubei_problem, "submit", {"note": "涉及外省企业，请审核上报"})
    assert response.status_code == 200
    assert response.json()["state"] == "pending_approval"


def test_hubei_lead_approves_and_is_recorded_as_signer(as_user, personas, chain):
    case = hubei_case(personas, chain, "pending_approval")
    response = post(as_user(personas.hubei_lead), case, "approve")
    assert response.json()["state"] == "escalated"
    assert response.json()["signed_by"]["id"] == personas.hubei_lead.pk


def test_ministry_accepts_an_escalated_problem(as_user, personas, chain):
    case = hubei_case(personas, chain, "escalated")
    assert post(as_user(personas.ministry), case, "accept").json()["state"] == "accepted"


def test_ministry_responds_with_a_closure_type(as_user, personas, chain):
    case = hubei_case(personas, chain, "accepted")
    data = post(as_user(personas.ministry), case, "respond", RESPONSE).json()
    assert (data["state"], data["closure_type"]) == ("responded", "solved")


def test_hubei_official_records_the_enterprises_satisfaction(as_user, personas, chain):
    case = hubei_case(personas, chain, "responded")
    data = post(as_user(personas.hubei), case, "confirm", SATISFIED).json()
    assert (data["state"], data["satisfaction"]) == ("confirmed", "satisfied")


def test_ministry_closes_a_confirmed_escalated_problem(as_user, personas, chain):
    case = hubei_case(personas, chain, "confirmed")
    assert post(as_user(personas.ministry), case, "close").json()["state"] == "closed"


def test_the_escalation_path_through_the_api_ends_closed(as_user, personas, chain):
    response = as_user(personas.hubei).post(CASES, registration(chain), format="json")
    case = Case.objects.get(pk=response.json()["id"])
    for action, persona, body in ESCALATION:
        response = post(as_user(getattr(personas, persona)), case, action, body)
        assert response.status_code == 200, (action, response.json())
    assert response.json()["state"] == "closed"


# --- the local path ----------------------------------------------------------------------------------------


def test_hubei_official_handles_a_new_problem_locally(as_user, personas, hubei_problem):
    data = post(as_user(personas.hubei), hubei_problem, "handle-locally", LOCAL_HANDLING).json()
    assert (data["state"], data["local_unit"]) == ("local", "武汉市经信局")


def test_hubei_official_responds_to_a_local_problem(as_user, personas, chain):
    case = hubei_case(personas, chain, "local")
    assert post(as_user(personas.hubei), case, "respond", RESPONSE).json()["state"] == "responded"


def test_hubei_lead_closes_a_confirmed_local_problem(as_user, personas, chain):
    case = hubei_case(personas, chain, "local_confirmed")
    assert post(as_user(personas.hubei_lead), case, "close").json()["state"] == "closed"


def test_hubei_official_may_not_close_a_local_problem(as_user, personas, chain):
    case = hubei_case(personas, chain, "local_confirmed")
    assert post(as_user(personas.hubei), case, "close").status_code == 403


def test_the_local_path_through_the_api_ends_closed(as_user, personas, hubei_problem):
    for action, persona, body in LOCAL:
        response = post(as_user(getattr(personas, persona)), hubei_problem, action, body)
        assert response.status_code == 200, (action, response.json())
    assert response.json()["state"] == "closed"


def test_dissatisfied_confirmation_reopens_the_problem(as_user, personas, chain):
    case = hubei_case(personas, chain, "local_responded")
    data = post(as_user(personas.hubei), case, "confirm", DISSATISFIED).json()
    assert (data["state"], data["reopen_count"]) == ("local", 1)


# --- the Contract's order: scope 404, role 403, state 409, input 400 ---------------------------------------


def test_hubei_official_approving_gets_403(as_user, personas, chain):
    case = hubei_case(personas, chain, "pending_approval")
    assert post(as_user(personas.hubei), case, "approve").status_code == 403


def test_ministry_accepting_a_new_problem_gets_409(as_user, personas, hubei_problem):
    response = post(as_user(personas.ministry), hubei_problem, "accept")
    assert response.status_code == 409
    assert "待研判" in response.json()["detail"]


def test_handle_locally_without_a_unit_is_400_on_unit(as_user, personas, hubei_problem):
    body = {key: value for key, value in LOCAL_HANDLING.items() if key != "unit"}
    response = post(as_user(personas.hubei), hubei_problem, "handle-locally", body)
    assert response.status_code == 400
    assert list(response.json()) == ["unit"]


def test_respond_with_an_unknown_closure_type_is_400_on_closure_type(as_user, personas, chain):
    case = hubei_case(personas, chain, "accepted")
    response = post(as_user(personas.ministry), case, "respond", {**RESPONSE, "closure_type": "magic"})
    assert response.status_code == 400
    assert "closure_type" in response.json()


def test_role_beats_state_hubei_accepting_a_new_problem_gets_403(as_user, personas, hubei_problem):
    assert post(as_user(personas.hubei), hubei_problem, "accept").status_code == 403


def test_scope_beats_role_zhejiang_approving_a_hubei_problem_gets_404(as_user, personas, chain):
    case = hubei_case(personas, chain, "pending_approval")
    assert post(as_user(personas.zhejiang), case, "approve").status_code == 404


def test_state_beats_input_handling_a_submitted_problem_locally_without_body_gets_409(as_user, personas, chain):
    case = hubei_case(personas, chain, "pending_approval")
    assert post(as_user(personas.hubei), case, "handle-locally", {}).status_code == 409


def test_failed_action_changes_nothing(as_user, personas, hubei_problem):
    post(as_user(personas.hubei), hubei_problem, "handle-locally", {"unit": "武汉市经信局"})
    assert Case.objects.get(pk=hubei_problem.pk).version == hubei_problem.version


def test_stale_version_gets_409(as_user, personas, hubei_problem):
    response = post(as_user(personas.hubei), hubei_problem, "submit", {"version": hubei_problem.version + 5})
    assert response.status_code == 409


def test_current_version_is_accepted(as_user, personas, hubei_problem):
    response = post(as_user(personas.hubei), hubei_problem, "submit", {"version": hubei_problem.version})
    assert response.status_code == 200
    assert response.json()["version"] == hubei_problem.version + 1


def test_stale_if_match_header_gets_409(as_user, personas, hubei_problem):
    response = post(as_user(personas.hubei), hubei_problem, "submit", HTTP_IF_MATCH='"7"')
    assert response.status_code == 409


def test_malformed_version_is_400_on_version(as_user, personas, hubei_problem):
    response = post(as_user(personas.hubei), hubei_problem, "submit", {"version": "latest"})
    assert response.status_code == 400
    assert "version" in response.json()


def test_body_that_is_not_an_object_is_400(as_user, personas, hubei_problem):
    response = as_user(personas.hubei).post(url(hubei_problem, "submit"), [1, 2], format="json")
    assert response.status_code == 400


def test_body_that_is_not_an_object_from_outside_the_scope_is_404(as_user, personas, hubei_problem):
    response = as_user(personas.guangdong).post(url(hubei_problem, "submit"), [1, 2], format="json")
    assert response.status_code == 404


def test_unknown_action_is_404(as_user, personas, hubei_problem):
    assert post(as_user(personas.hubei), hubei_problem, "explode").status_code == 404


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_every_workflow_action_has_an_endpoint(name):
    try:
        path = reverse(f"case-{name}", args=[1])
    except NoReverseMatch:
        path = None
    assert path == f"{CASES}1/{name}/"


def test_respond_with_a_list_as_closure_type_is_400(as_user, personas, chain):
    case = hubei_case(personas, chain, "accepted")
    response = post(as_user(personas.ministry), case, "respond", {**RESPONSE, "closure_type": ["solved"]})
    assert response.status_code == 400


# --- 协办: the limited view ----------------------------------------------------------------------------


def test_guangdong_official_retrieves_a_shared_problem_in_the_limited_view(as_user, personas,
                                                                          shared_with_guangdong):
    data = as_user(personas.guangdong).get(url(shared_with_guangdong)).json()
    assert data["view"] == "limited"
    assert data["share_note"] == "请广东协调深圳供应商恢复供货"
    assert "description" not in data


def test_limited_view_has_no_enterprise_contact(as_user, personas, shared_with_guangdong):
    data = as_user(personas.guangdong).get(url(shared_with_guangdong)).json()
    assert "contact_phone" not in data["enterprise"]
    assert "027-88880000" not in str(data)


def test_guangdong_official_comments_on_a_shared_problem(as_user, personas, shared_with_guangdong):
    response = post(as_user(personas.guangdong), shared_with_guangdong, "comment", {"text": "已联系深圳供应商"})
    assert response.status_code == 200
    assert response.json()["events"][-1]["note"] == "已联系深圳供应商"


def test_guangdong_official_cannot_submit_a_shared_problem(as_user, personas, shared_with_guangdong):
    assert post(as_user(personas.guangdong), shared_with_guangdong, "submit").status_code == 403


def test_shared_problem_stays_404_for_zhejiang(as_user, personas, shared_with_guangdong):
    assert as_user(personas.zhejiang).get(url(shared_with_guangdong)).status_code == 404


def test_ministry_shares_through_the_api(as_user, personas, chain):
    case = hubei_case(personas, chain, "accepted")
    post(as_user(personas.ministry), case, "share", {"region": "44", "note": "请协调深圳供应商"})
    assert as_user(personas.guangdong).get(url(case)).status_code == 200


# --- internal comments ---------------------------------------------------------------------------------


@pytest.fixture
def internal_ministry_comment(personas, chain):
    case = hubei_case(personas, chain, "accepted")
    act(case, "share", personas.ministry, {"region": "44"})
    return act(case, "comment", personas.ministry, {"text": "部专班内部：拟协调交通运输部", "visibility": "internal"})


def notes(response) -> list[str]:
    return [event["note"] for event in response.json()["events"]]


def test_internal_ministry_comment_is_hidden_from_hubei(as_user, personas, internal_ministry_comment):
    assert "部专班内部：拟协调交通运输部" not in notes(as_user(personas.hubei).get(url(internal_ministry_comment)))


def test_internal_ministry_comment_is_hidden_from_the_shared_region(as_user, personas, internal_ministry_comment):
    response = as_user(personas.guangdong).get(url(internal_ministry_comment))
    assert "部专班内部：拟协调交通运输部" not in notes(response)


def test_internal_ministry_comment_is_seen_by_the_ministry_liaison(as_user, personas, internal_ministry_comment):
    response = as_user(personas.ministry_liaison).get(url(internal_ministry_comment))
    assert "部专班内部：拟协调交通运输部" in notes(response)


def test_hubei_internal_note_is_hidden_from_a_guangdong_liaison_officer(as_user, personas, chain, hubei_problem):
    act(hubei_problem, "comment", personas.hubei, {"text": "省内部：企业负责人态度消极", "visibility": "internal"})
    LiaisonAssignment.objects.create(enterprise=chain["guangdong_supplier"], officer=personas.liaison_guangdong)
    response = as_user(personas.liaison_guangdong).get(url(hubei_problem))
    assert "省内部：企业负责人态度消极" not in notes(response)


# --- schema ----------------------------------------------------------------------------------------------


def test_schema_documents_each_action_with_its_body(as_user, personas):
    schema = as_user(personas.hubei).get("/api/schema/?format=json").json()
    body = schema["paths"]["/api/v1/cases/{id}/handle-locally/"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["$ref"].endswith("/HandleLocallyBody")


def test_schema_lists_closure_types_with_their_values(as_user, personas):
    schema = as_user(personas.hubei).get("/api/schema/?format=json").json()
    assert schema["components"]["schemas"]["ClosureTypeEnum"]["enum"] == [
        "solved", "partly_solved", "explained", "withdrawn", "not_in_remit"]
