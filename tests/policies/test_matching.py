"""Which policies fit an enterprise or a problem, and why; expired ones are never suggested."""

import pytest

from chainwork.models import KeyField
from enterprises.models import Enterprise
from policies.matching import enterprises_for_policy, match_for_case, match_for_enterprise
from tests.cases.workflow_support import new_case
from tests.factories import AbroadEnterpriseFactory, EnterpriseFactory, region
from tests.policies.conftest import days_ago, make_policy

pytestmark = pytest.mark.django_db


def matched(matches):
    return {m.policy.name: m.reasons for m in matches}


def test_a_medium_enterprise_fits_a_policy_for_medium_enterprises(small_loan, hubei_medium):
    assert "测试中小企业贷款" in matched(match_for_enterprise(hubei_medium))


def test_the_size_reason_says_why(small_loan, hubei_medium):
    assert "企业规模为中型，符合" in matched(match_for_enterprise(hubei_medium))["测试中小企业贷款"]


def test_a_large_enterprise_does_not_fit_a_policy_for_smaller_ones(small_loan, personas):
    large = EnterpriseFactory(size="large")
    assert "测试中小企业贷款" not in matched(match_for_enterprise(large))


def test_an_expired_policy_is_not_suggested(personas, hubei_medium):
    make_policy("测试已失效政策", valid_from=days_ago(200), valid_to=days_ago(1))
    assert "测试已失效政策" not in matched(match_for_enterprise(hubei_medium))


def test_a_policy_not_yet_in_force_is_not_suggested(personas, hubei_medium):
    make_policy("测试未生效政策", valid_from=days_ago(-3))
    assert "测试未生效政策" not in matched(match_for_enterprise(hubei_medium))


def test_an_expired_policy_was_suggested_while_it_was_valid(personas, hubei_medium):
    make_policy("测试已失效政策", valid_from=days_ago(200), valid_to=days_ago(1))
    assert "测试已失效政策" in matched(match_for_enterprise(hubei_medium, at=days_ago(10)))


def test_a_regional_policy_does_not_fit_another_region(personas, guangdong_small):
    make_policy("测试湖北专项", regions=["42"])
    assert "测试湖北专项" not in matched(match_for_enterprise(guangdong_small))


def test_a_regional_policy_fits_its_region_with_the_reason(personas, hubei_medium):
    make_policy("测试湖北专项", regions=["42"])
    assert "企业所在地区为湖北省，适用" in matched(match_for_enterprise(hubei_medium))["测试湖北专项"]


def test_a_key_field_policy_fits_an_enterprise_in_that_field(personas):
    make_policy("测试防疫专项", key_fields=["epidemic"])
    enterprise = EnterpriseFactory()
    enterprise.key_fields.set(KeyField.objects.filter(slug="epidemic"))
    assert "重点领域“防疫物资”适用" in matched(match_for_enterprise(enterprise))["测试防疫专项"]


def test_a_key_field_policy_does_not_fit_an_enterprise_outside_the_field(personas, hubei_medium):
    make_policy("测试防疫专项", key_fields=["epidemic"])
    assert "测试防疫专项" not in matched(match_for_enterprise(hubei_medium))


def test_an_enterprise_abroad_fits_no_policy(catalogue, personas):
    assert match_for_enterprise(AbroadEnterpriseFactory()) == []


def test_a_funding_problem_fits_with_the_category_reason(small_loan, personas, chain):
    chain["lead"].size = "medium"
    chain["lead"].save()
    case = new_case(personas, chain, category="funding")
    assert "问题类别“资金”适用" in matched(match_for_case(case))["测试中小企业贷款"]


def test_a_logistics_problem_does_not_fit_a_funding_policy(small_loan, personas, chain):
    chain["lead"].size = "medium"
    chain["lead"].save()
    case = new_case(personas, chain, category="logistics")
    assert "测试中小企业贷款" not in matched(match_for_case(case))


def test_the_seeded_loan_deferral_fits_a_small_enterprise(catalogue, personas):
    small = EnterpriseFactory(size="small")
    assert "中小微企业贷款临时性延期还本付息" in matched(match_for_enterprise(small))


def test_the_seeded_social_insurance_relief_is_expired(catalogue, personas):
    small = EnterpriseFactory(size="small")
    assert "阶段性减免企业社会保险费" not in matched(match_for_enterprise(small))


def test_the_enterprises_a_policy_fits_are_those_matching_finds(small_loan, hubei_medium, personas):
    EnterpriseFactory(name="武汉大型钢铁有限公司", size="large")
    fitting = enterprises_for_policy(small_loan, Enterprise.objects.visible_to(personas.hubei))
    assert list(fitting) == [hubei_medium]


def test_the_enterprises_a_policy_fits_stay_in_the_users_scope(small_loan, hubei_medium, guangdong_small, personas):
    fitting = enterprises_for_policy(small_loan, Enterprise.objects.visible_to(personas.guangdong))
    assert list(fitting) == [guangdong_small]


def test_an_enterprise_without_a_size_is_kept_with_a_reason_to_check(small_loan, personas):
    unknown = EnterpriseFactory(size="", region=region("42"))
    assert "企业规模未登记，请核实（适用：中型、小型）" in matched(match_for_enterprise(unknown))["测试中小企业贷款"]
