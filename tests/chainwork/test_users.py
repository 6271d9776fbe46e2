import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from chainwork.models import Role, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_province_user_without_region_is_refused_by_the_database(reference_data):
    with pytest.raises(IntegrityError):
        User.objects.create(username="nowhere", role=Role.PROVINCE)


def test_province_user_without_region_gets_a_message_on_the_region_field(reference_data):
    user = User(username="nowhere", role=Role.PROVINCE)
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "region" in error.value.message_dict


def test_department_user_without_department_is_refused(reference_data):
    with pytest.raises(IntegrityError):
        User.objects.create(username="nodept", role=Role.DEPARTMENT)


def test_createsuperuser_makes_an_administrator(reference_data):
    user = User.objects.create_superuser("root2", "root@example.org", "pass-word-123")
    assert (user.role, user.is_staff) == (Role.ADMIN, True)


def test_ministry_members_reach_the_admin_site(reference_data):
    assert UserFactory(role=Role.MINISTRY, region=None).is_staff


def test_province_officials_do_not_reach_the_admin_site(reference_data):
    assert not UserFactory(role=Role.PROVINCE).is_staff
