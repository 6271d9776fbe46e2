"""催办 and 督办 of a single referral (the `urge` and `supervise` actions with a `referral` id)."""

import pytest

from cases.referrals import perform_referral
from cases.workflow import perform
from chainwork.errors import ValidationError
from tests.coordination.support import in_days, referral_of, routed

pytestmark = pytest.mark.django_db


def urge(personas, case, referral_id, actor=None):
    return perform(case_id=case.pk, action="urge", actor=actor or personas.ministry,
                   data={"note": "请尽快反馈", "referral": referral_id})


def test_urging_a_referral_counts_on_the_referral(personas, chain):
    case = routed(personas, chain)
    urge(personas, case, referral_of(case).pk)
    urge(personas, case, referral_of(case).pk)
    assert referral_of(case).urged_count == 2


def test_urging_a_referral_records_when(personas, chain):
    case = routed(personas, chain)
    urge(personas, case, referral_of(case).pk)
    assert referral_of(case).last_urged_at is not None


def test_urging_one_referral_leaves_the_others_alone(personas, chain):
    case = routed(personas, chain)
    urge(personas, case, referral_of(case).pk)
    assert referral_of(case, "mof").urged_count == 0


def test_the_urge_event_names_the_department(personas, chain):
    case = routed(personas, chain)
    urge(personas, case, referral_of(case).pk)
    assert case.events.get(action="urge").data["department"] == "mot"


def test_urging_a_referral_of_another_problem_is_refused_on_referral(personas, chain):
    case, other = routed(personas, chain), routed(personas, chain, title="另一个问题")
    with pytest.raises(ValidationError) as error:
        urge(personas, case, referral_of(other).pk)
    assert "referral" in error.value.message_dict


def test_urging_an_answered_referral_is_refused_on_referral(personas, chain):
    case = routed(personas, chain)
    perform_referral(referral_id=referral_of(case).pk, action="respond", actor=personas.dept_mot,
                     data={"response": "已办理"})
    with pytest.raises(ValidationError) as error:
        urge(personas, case, referral_of(case).pk)
    assert "referral" in error.value.message_dict


def test_a_referral_id_that_is_not_a_number_is_refused_on_referral(personas, chain):
    case = routed(personas, chain)
    with pytest.raises(ValidationError) as error:
        urge(personas, case, "mot")
    assert "referral" in error.value.message_dict


def test_a_refused_urge_counts_nothing(personas, chain):
    case, other = routed(personas, chain), routed(personas, chain, title="另一个问题")
    with pytest.raises(ValidationError):
        urge(personas, case, referral_of(other).pk)
    assert referral_of(other).urged_count == 0


def test_the_hubei_lead_urges_a_referral_in_hubei(personas, chain):
    case = routed(personas, chain)
    urge(personas, case, referral_of(case).pk, actor=personas.hubei_lead)
    assert referral_of(case).urged_count == 1


def test_the_api_answers_400_keyed_referral_for_a_foreign_referral(api_client, personas, chain):
    case, other = routed(personas, chain), routed(personas, chain, title="另一个问题")
    api_client.force_authenticate(personas.ministry)
    response = api_client.post(f"/api/v1/cases/{case.pk}/urge/", {"referral": referral_of(other).pk}, format="json")
    assert response.status_code == 400 and "referral" in response.json()


def supervise(personas, case, referral_id, due_date, level="supervise"):
    return perform(case_id=case.pk, action="supervise", actor=personas.ministry,
                   data={"level": level, "due_date": due_date, "note": "限期办结", "referral": referral_id})


def test_supervising_a_referral_moves_its_deadline(personas, chain):
    case = routed(personas, chain)
    supervise(personas, case, referral_of(case).pk, in_days(3))
    assert referral_of(case).due_date.isoformat() == in_days(3)


def test_supervising_a_referral_sets_the_problem_deadline_to_the_earliest_pending(personas, chain):
    case = routed(personas, chain)
    case = supervise(personas, case, referral_of(case, "mof").pk, in_days(20))
    assert case.due_at.date().isoformat() == in_days(7)  # 交通运输部's, now the earliest


def test_supervising_a_referral_still_marks_the_problem_supervised(personas, chain):
    case = routed(personas, chain)
    case = supervise(personas, case, referral_of(case).pk, in_days(3), level="listed")
    assert case.supervision == "listed"


def test_supervising_an_answered_referral_is_refused_on_referral(personas, chain):
    case = routed(personas, chain)
    perform_referral(referral_id=referral_of(case).pk, action="send-back", actor=personas.dept_mot,
                     data={"reason": "非本部门职责"})
    with pytest.raises(ValidationError) as error:
        supervise(personas, case, referral_of(case).pk, in_days(3))
    assert "referral" in error.value.message_dict


def test_supervising_the_problem_alone_keeps_the_referral_deadlines(personas, chain):
    case = routed(personas, chain)
    supervise(personas, case, None, in_days(2))
    assert referral_of(case).due_date.isoformat() == in_days(7)


def test_the_api_supervises_a_referral(api_client, personas, chain):
    case = routed(personas, chain)
    api_client.force_authenticate(personas.ministry)
    response = api_client.post(f"/api/v1/cases/{case.pk}/supervise/",
                               {"level": "supervise", "due_date": in_days(4), "referral": referral_of(case).pk},
                               format="json")
    assert response.status_code == 200 and referral_of(case).due_date.isoformat() == in_days(4)
