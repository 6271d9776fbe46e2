"""Recording take-up and editing the catalogue: scope 404, role 403, input 400, and the audit."""

from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.http import Http404
from pghistory.models import Events

from chainwork.errors import NotPermitted, ValidationError
from liaison.models import LiaisonAssignment
from policies.models import PolicyApplication
from policies.services import PolicyData, policy_application_record, policy_save
from tests.cases.workflow_support import new_case
from tests.factories import EnterpriseFactory
from tests.policies.conftest import days_ago, make_policy, record

pytestmark = pytest.mark.django_db


def record_for(actor, enterprise, policy, status="recommended", **kwargs):
    kwargs.setdefault("date", days_ago(1))
    return policy_application_record(actor=actor, enterprise_id=enterprise.pk, policy=policy, status=status, **kwargs)


def test_a_hubei_official_records_a_recommendation_for_a_hubei_enterprise(personas, small_loan, hubei_medium):
    application = record_for(personas.hubei, hubei_medium, small_loan)
    assert application.recorded_by == personas.hubei and application.status == "recommended"


def test_a_guangdong_official_cannot_record_for_a_hubei_enterprise(personas, small_loan, hubei_medium):
    with pytest.raises(Http404):
        record_for(personas.guangdong, hubei_medium, small_loan)


def test_a_department_user_cannot_record_at_all(personas, small_loan, hubei_medium):
    with pytest.raises(Http404):
        record_for(personas.dept_mof, hubei_medium, small_loan)


def test_a_ministry_liaison_sees_but_may_not_record(personas, small_loan, hubei_medium):
    with pytest.raises(NotPermitted):
        record_for(personas.ministry_liaison, hubei_medium, small_loan)


def test_the_ministry_records_for_any_region(personas, small_loan, guangdong_small):
    assert record_for(personas.ministry, guangdong_small, small_loan).enterprise == guangdong_small


def test_a_liaison_officer_records_for_an_assigned_enterprise(personas, small_loan, hubei_medium):
    LiaisonAssignment.objects.create(enterprise=hubei_medium, officer=personas.liaison_hubei)
    assert record_for(personas.liaison_hubei, hubei_medium, small_loan).pk


def test_a_liaison_officer_cannot_record_for_an_unassigned_enterprise(personas, small_loan, hubei_medium):
    with pytest.raises(Http404):
        record_for(personas.liaison_hubei, hubei_medium, small_loan)


def test_a_granted_loan_keeps_its_amount(personas, small_loan, hubei_medium):
    application = record_for(personas.hubei, hubei_medium, small_loan, "granted", amount_wan=Decimal("300.50"))
    assert application.amount_wan == Decimal("300.50")


def test_a_recommendation_has_no_amount(personas, small_loan, hubei_medium):
    with pytest.raises(ValidationError) as error:
        record_for(personas.hubei, hubei_medium, small_loan, amount_wan=Decimal("10"))
    assert "amount_wan" in error.value.message_dict


def test_a_negative_amount_is_refused(personas, small_loan, hubei_medium):
    with pytest.raises(ValidationError):
        record_for(personas.hubei, hubei_medium, small_loan, "granted", amount_wan=Decimal("-1"))


def test_the_database_refuses_a_negative_amount(personas, small_loan, hubei_medium):
    with pytest.raises(IntegrityError):
        record(small_loan, hubei_medium, "granted", 1, "-5", by=personas.hubei)


def test_a_future_date_is_refused(personas, small_loan, hubei_medium):
    with pytest.raises(ValidationError) as error:
        record_for(personas.hubei, hubei_medium, small_loan, date=days_ago(-1))
    assert "date" in error.value.message_dict


def test_an_expired_policy_cannot_be_recommended(personas, hubei_medium):
    expired = make_policy("测试已失效政策", valid_to=days_ago(30))
    with pytest.raises(ValidationError) as error:
        record_for(personas.hubei, hubei_medium, expired)
    assert "policy" in error.value.message_dict


def test_a_grant_of_a_policy_that_expired_since_is_recorded(personas, hubei_medium):
    expired = make_policy("测试已失效政策", valid_to=days_ago(30))
    assert record_for(personas.hubei, hubei_medium, expired, "granted", date=days_ago(1)).pk


def test_the_same_record_twice_a_day_is_refused(personas, small_loan, hubei_medium):
    record_for(personas.hubei, hubei_medium, small_loan)
    with pytest.raises(ValidationError):
        record_for(personas.hubei, hubei_medium, small_loan)


def test_a_record_names_a_problem_of_the_enterprise(personas, chain, small_loan):
    case = new_case(personas, chain, category="funding")
    application = record_for(personas.hubei, chain["lead"], small_loan, case_id=case.pk)
    assert application.case == case


def test_a_problem_of_another_enterprise_is_refused(personas, chain, small_loan, hubei_medium):
    case = new_case(personas, chain, category="funding")
    with pytest.raises(ValidationError) as error:
        record_for(personas.hubei, hubei_medium, small_loan, case_id=case.pk)
    assert "case" in error.value.message_dict


def test_a_guangdong_official_cannot_name_a_hubei_problem(personas, chain, small_loan, guangdong_small):
    case = new_case(personas, chain, category="funding")
    with pytest.raises(Http404):
        record_for(personas.guangdong, guangdong_small, small_loan, case_id=case.pk)


def test_a_province_official_cannot_edit_the_catalogue(personas):
    with pytest.raises(NotPermitted):
        policy_save(actor=personas.hubei, data=PolicyData(name="测试新政策"))


def test_a_catalogue_change_by_the_ministry_is_audited(personas, small_loan):
    data = PolicyData(name=small_loan.name, summary="新的政策要点", sizes=["small"])
    policy_save(actor=personas.ministry, data=data, instance=small_loan)
    assert Events.objects.tracks(small_loan).filter(pgh_label="update").count() == 1


def test_a_validity_ending_before_it_starts_is_refused(personas):
    with pytest.raises(ValidationError):
        policy_save(actor=personas.ministry, data=PolicyData(name="测试", valid_from=days_ago(1), valid_to=days_ago(5)))


def test_recording_leaves_one_row(personas, small_loan, hubei_medium):
    record_for(personas.hubei, hubei_medium, small_loan)
    assert PolicyApplication.objects.count() == 1


def test_an_enterprise_abroad_cannot_take_up_a_policy(personas, small_loan):
    from tests.factories import AbroadEnterpriseFactory

    with pytest.raises(ValidationError):
        record_for(personas.hubei, AbroadEnterpriseFactory(), small_loan)


def test_a_hubei_official_can_record_for_a_new_hubei_enterprise(personas, small_loan):
    assert record_for(personas.hubei_lead, EnterpriseFactory(size="small"), small_loan).pk
