import pytest

from cases.models import Case
from cases.selectors import case_list, visible_events
from cases.workflow import perform
from liaison.models import LiaisonAssignment
from tests.cases.workflow_support import case_in

pytestmark = pytest.mark.django_db


def seen(user):
    return set(Case.objects.seen_by(user).values_list("pk", flat=True))


def test_the_hubei_official_sees_hubei_problems(personas, chain):
    case = case_in("new", personas, chain)
    assert case.pk in seen(personas.hubei)


def test_the_guangdong_official_does_not_see_an_unshared_hubei_problem(personas, chain):
    case = case_in("accepted", personas, chain)
    assert case.pk not in seen(personas.guangdong)


def test_the_ministry_sees_every_problem(personas, chain):
    case = case_in("new", personas, chain)
    assert case.pk in seen(personas.ministry)


def test_the_ministry_liaison_sees_problems_of_covered_regions(personas, chain):
    case = case_in("new", personas, chain)
    assert case.pk in seen(personas.ministry_liaison)


def test_the_ministry_liaison_does_not_see_zhejiang(personas, chain):
    from cases.services import CaseData, case_create
    from chainwork.models import Category

    zhejiang_case = case_create(actor=personas.zhejiang, data=CaseData(
        enterprise_id=chain["zhejiang"].pk, category_id=Category.objects.get(slug="energy").pk,
        title="用电紧张", description="x", request="y"))
    assert zhejiang_case.pk not in seen(personas.ministry_liaison)


def test_a_department_sees_no_problem_before_referral(personas, chain):
    case_in("accepted", personas, chain)
    assert seen(personas.dept_mot) == set()


def test_a_liaison_officer_sees_problems_of_assigned_enterprises(personas, chain):
    case = case_in("new", personas, chain)
    LiaisonAssignment.objects.create(enterprise=chain["lead"], officer=personas.liaison_hubei)
    assert case.pk in seen(personas.liaison_hubei)


def test_a_liaison_officer_without_the_assignment_sees_nothing(personas, chain):
    case_in("new", personas, chain)
    assert seen(personas.liaison_hubei) == set()


def test_a_shared_problem_is_not_in_the_shared_regions_full_list(personas, chain):
    case = case_in("accepted", personas, chain)
    perform(case_id=case.pk, action="share", actor=personas.ministry, data={"region": "44"})
    assert not case_list(personas.guangdong).filter(pk=case.pk).exists()


def comments(user, case, full):
    return list(visible_events(user, case, full=full).filter(kind="comment").values_list("note", flat=True))


def test_a_ministry_internal_comment_is_hidden_from_the_province(personas, chain):
    case = case_in("accepted", personas, chain)
    perform(case_id=case.pk, action="comment", actor=personas.ministry, data={"text": "内部研判", "visibility": "internal"})
    assert "内部研判" not in comments(personas.hubei, case, True)


def test_a_ministry_internal_comment_is_shown_to_the_ministry_liaison(personas, chain):
    case = case_in("accepted", personas, chain)
    perform(case_id=case.pk, action="comment", actor=personas.ministry, data={"text": "内部研判", "visibility": "internal"})
    assert "内部研判" in comments(personas.ministry_liaison, case, True)


def test_a_province_internal_comment_is_shown_to_the_ministry(personas, chain):
    case = case_in("accepted", personas, chain)
    perform(case_id=case.pk, action="comment", actor=personas.hubei, data={"text": "省内意见", "visibility": "internal"})
    assert "省内意见" in comments(personas.ministry, case, True)


def test_a_province_internal_comment_is_hidden_from_the_shared_region(personas, chain):
    case = case_in("accepted", personas, chain)
    perform(case_id=case.pk, action="share", actor=personas.ministry, data={"region": "44"})
    perform(case_id=case.pk, action="comment", actor=personas.hubei, data={"text": "省内意见", "visibility": "internal"})
    assert "省内意见" not in comments(personas.guangdong, case, False)


def test_the_shared_region_sees_its_own_answer(personas, chain):
    case = case_in("accepted", personas, chain)
    perform(case_id=case.pk, action="share", actor=personas.ministry, data={"region": "44"})
    perform(case_id=case.pk, action="comment", actor=personas.guangdong, data={"text": "已督促企业复工"})
    assert "已督促企业复工" in comments(personas.guangdong, case, False)
