import pytest
from django.contrib.auth.models import AnonymousUser

from chainwork.models import Region
from chainwork.scope import scope_for

pytestmark = pytest.mark.django_db


def test_ministry_sees_every_region(personas):
    assert scope_for(personas.ministry).is_national


def test_admin_sees_every_region(personas):
    assert scope_for(personas.admin).is_national


def test_hubei_official_sees_only_hubei(personas):
    assert scope_for(personas.hubei).regions == {"42"}


def test_hubei_official_does_not_cover_guangdong(personas):
    assert not scope_for(personas.hubei).covers("44")


def test_guangdong_lead_sees_only_guangdong(personas):
    assert scope_for(personas.guangdong_lead).regions == {"44"}


def test_ministry_liaison_sees_the_regions_they_cover(personas):
    assert scope_for(personas.ministry_liaison).regions == {"42", "44"}


def test_ministry_liaison_does_not_cover_zhejiang(personas):
    assert not scope_for(personas.ministry_liaison).covers("33")


def test_liaison_officer_is_bound_to_their_home_region(personas):
    assert scope_for(personas.liaison_hubei).regions == {"42"}


def test_department_sees_no_region_in_full(personas):
    scope = scope_for(personas.dept_mot)
    assert scope.regions == frozenset()
    assert scope.department_id == personas.dept_mot.department_id


def test_anonymous_sees_nothing():
    assert scope_for(AnonymousUser()).regions == frozenset()


def test_inactive_user_sees_nothing(personas):
    personas.ministry.is_active = False
    assert scope_for(personas.ministry).regions == frozenset()


def test_region_filter_keeps_only_the_home_region(personas):
    q = scope_for(personas.guangdong).region_q("code")
    assert list(Region.objects.filter(q).values_list("code", flat=True)) == ["44"]


def test_region_filter_of_a_department_matches_nothing(personas):
    q = scope_for(personas.dept_mot).region_q("code")
    assert not Region.objects.filter(q).exists()


def test_region_filter_of_the_ministry_matches_everything(personas):
    q = scope_for(personas.ministry).region_q("code")
    assert Region.objects.filter(q).count() == 32
