import pytest

from cases.workflow import perform
from tests.cases.workflow_support import NEXT_WEEK, case_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(personas, chain):
    case = case_in("accepted", personas, chain)
    case = perform(case_id=case.pk, action="route", actor=personas.ministry,
                   data={"referrals": [{"department": "mot", "role": "lead", "due_date": NEXT_WEEK}]})
    return case.referrals.get()


def test_the_department_lists_its_referrals(api_client, personas, referral):
    api_client.force_authenticate(personas.dept_mot)
    assert [r["id"] for r in api_client.get("/api/v1/referrals/").json()["results"]] == [referral.pk]


def test_another_department_lists_none(api_client, personas, referral):
    api_client.force_authenticate(personas.dept_mof)
    assert api_client.get("/api/v1/referrals/").json()["count"] == 0


def test_the_department_responds_through_the_api(api_client, personas, referral):
    api_client.force_authenticate(personas.dept_mot)
    response = api_client.post(f"/api/v1/referrals/{referral.pk}/respond/", {"response": "已开通绿色通道"}, format="json")
    assert (response.status_code, response.json()["state"]) == (200, "responded")


def test_another_department_gets_404(api_client, personas, referral):
    api_client.force_authenticate(personas.dept_mof)
    response = api_client.post(f"/api/v1/referrals/{referral.pk}/respond/", {"response": "x"}, format="json")
    assert response.status_code == 404


def test_the_province_gets_403_on_a_referral_it_sees(api_client, personas, referral):
    api_client.force_authenticate(personas.hubei)
    response = api_client.post(f"/api/v1/referrals/{referral.pk}/respond/", {"response": "x"}, format="json")
    assert response.status_code == 403


def test_answering_twice_is_409(api_client, personas, referral):
    api_client.force_authenticate(personas.dept_mot)
    api_client.post(f"/api/v1/referrals/{referral.pk}/respond/", {"response": "x"}, format="json")
    response = api_client.post(f"/api/v1/referrals/{referral.pk}/respond/", {"response": "y"}, format="json")
    assert response.status_code == 409


def test_send_back_without_a_reason_is_400(api_client, personas, referral):
    api_client.force_authenticate(personas.dept_mot)
    response = api_client.post(f"/api/v1/referrals/{referral.pk}/send-back/", {}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["reason"])


def test_the_ministry_records_on_behalf_with_a_source(api_client, personas, referral):
    api_client.force_authenticate(personas.ministry)
    response = api_client.post(f"/api/v1/referrals/{referral.pk}/respond/",
                               {"response": "函件已复", "source": "letter"}, format="json")
    assert response.json()["on_behalf"] is True


def test_the_department_retrieves_the_referred_problem_limited(api_client, personas, referral):
    api_client.force_authenticate(personas.dept_mot)
    body = api_client.get(f"/api/v1/cases/{referral.case_id}/").json()
    assert body["view"] == "limited" and "description" not in body
