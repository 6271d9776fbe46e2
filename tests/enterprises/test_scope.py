import pytest

from enterprises.models import Enterprise
from liaison.models import LiaisonAssignment

pytestmark = pytest.mark.django_db


def visible(user):
    return set(Enterprise.objects.visible_to(user).values_list("name", flat=True))


def test_hubei_official_sees_hubei_enterprises_in_full(personas, chain):
    assert "东湖光电科技集团有限公司" in visible(personas.hubei)


def test_hubei_official_sees_the_enterprise_abroad_hubei_added(personas, chain):
    assert "Rheinland Maschinenbau GmbH" in visible(personas.hubei)


def test_hubei_official_does_not_see_the_guangdong_supplier_in_full(personas, chain):
    assert "深圳鹏城芯片封装有限公司" not in visible(personas.hubei)


def test_hubei_official_sees_the_guangdong_supplier_through_the_link(personas, chain):
    linked = Enterprise.objects.linked_visible_to(personas.hubei)
    assert linked.filter(pk=chain["guangdong_supplier"].pk).exists()


def test_hubei_official_does_not_see_an_unlinked_guangdong_lead(personas, chain):
    linked = Enterprise.objects.linked_visible_to(personas.hubei)
    assert not linked.filter(pk=chain["guangdong_lead"].pk).exists()


def test_guangdong_official_sees_the_hubei_lead_its_supplier_serves(personas, chain):
    linked = Enterprise.objects.linked_visible_to(personas.guangdong)
    assert linked.filter(pk=chain["lead"].pk).exists()


def test_zhejiang_official_sees_nothing_of_the_hubei_chain(personas, chain):
    linked = Enterprise.objects.linked_visible_to(personas.zhejiang)
    assert not linked.filter(pk__in=[chain["lead"].pk, chain["guangdong_supplier"].pk]).exists()


def test_ministry_sees_every_enterprise(personas, chain):
    assert Enterprise.objects.visible_to(personas.ministry).count() == 6


def test_ministry_liaison_sees_hubei_and_guangdong_in_full(personas, chain):
    assert {"深圳鹏城芯片封装有限公司", "东湖光电科技集团有限公司"} <= visible(personas.ministry_liaison)


def test_ministry_liaison_does_not_see_zhejiang(personas, chain):
    assert "宁波港城化工有限公司" not in visible(personas.ministry_liaison)


def test_department_user_sees_no_enterprise(personas, chain):
    assert visible(personas.dept_mot) == set()


def test_liaison_officer_sees_only_assigned_enterprises(personas, chain):
    LiaisonAssignment.objects.create(enterprise=chain["lead"], officer=personas.liaison_hubei)
    assert visible(personas.liaison_hubei) == {"东湖光电科技集团有限公司"}


def test_liaison_officer_no_longer_sees_an_ended_assignment(personas, chain):
    import datetime as dt

    LiaisonAssignment.objects.create(enterprise=chain["lead"], officer=personas.liaison_hubei,
                                     started_on=dt.date(2026, 1, 1), ended_on=dt.date(2026, 2, 1))
    assert visible(personas.liaison_hubei) == set()
