import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import identify_hasher
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from chainwork.models import Role, User

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"


def fail_login(client, username, times):
    for _ in range(times):
        response = client.post(reverse("login"), {"username": username, "password": "wrong-password"})
    return response


def test_five_failed_logins_lock_the_account(client, personas):
    response = fail_login(client, "p-hubei", 5)
    assert response.status_code == 429


def test_the_lockout_page_says_so_in_chinese(client, personas):
    response = fail_login(client, "p-hubei", 5)
    assert "账号已临时锁定" in response.content.decode()


def test_a_locked_account_cannot_log_in_even_with_the_right_password(client, personas):
    fail_login(client, "p-hubei", 5)
    response = client.post(reverse("login"), {"username": "p-hubei", "password": PASSWORD})
    assert response.status_code == 429


def test_four_failures_still_allow_the_right_password(client, personas):
    fail_login(client, "p-hubei", 4)
    response = client.post(reverse("login"), {"username": "p-hubei", "password": PASSWORD})
    assert response.status_code == 302


def test_a_lockout_does_not_lock_the_same_user_at_another_address(client, personas):
    fail_login(client, "p-hubei", 5)
    response = client.post(reverse("login"), {"username": "p-hubei", "password": PASSWORD},
                           REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 302


def test_the_administrator_unlocks_by_deleting_the_attempt(client, personas):
    fail_login(client, "p-hubei", 5)
    AccessAttempt.objects.filter(username="p-hubei").delete()
    response = client.post(reverse("login"), {"username": "p-hubei", "password": PASSWORD})
    assert response.status_code == 302


def test_administrators_see_the_lockouts_in_the_admin(client_for, personas):
    assert client_for(personas.admin).get("/admin/axes/accessattempt/").status_code == 200


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_hashed_with_argon2(reference_data):
    user = User.objects.create_user("argon", password="a-long-pass-123", role=Role.MINISTRY)
    assert identify_hasher(user.password).algorithm == "argon2"


def test_a_user_changes_their_password(client_for, personas):
    client = client_for(personas.hubei)
    client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": "Hubei-new-2026!",
                                             "new_password2": "Hubei-new-2026!"})
    personas.hubei.refresh_from_db()
    assert personas.hubei.check_password("Hubei-new-2026!")


def test_a_too_simple_new_password_is_refused_in_chinese(client_for, personas):
    response = client_for(personas.hubei).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})
    assert "密码" in response.content.decode() and response.status_code == 200


def test_sessions_expire_after_inactivity(settings):
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600 and settings.SESSION_REFRESH_SECONDS <= 600


def test_a_request_after_the_refresh_period_moves_the_expiry(client_for, personas, settings):
    from django.contrib.sessions.models import Session

    client = client_for(personas.hubei)
    client.get("/")
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    session = client.session
    session["_chainwork_refreshed"] = 0  # refreshed long ago
    session.save()
    client.get("/")
    assert Session.objects.get(pk=key).expire_date > timezone.now() + dt.timedelta(hours=1)


def test_a_request_within_the_refresh_period_writes_no_session(client_for, personas):
    from django.contrib.sessions.models import Session

    client = client_for(personas.hubei)
    client.get("/")
    key = client.session.session_key
    before = Session.objects.get(pk=key).expire_date
    client.get("/")
    assert Session.objects.get(pk=key).expire_date == before


def test_the_administrator_creates_a_user_with_role_region_and_department(client_for, personas):
    client = client_for(personas.admin)
    client.post(reverse("admin:chainwork_user_add"), {
        "username": "new-mot", "password1": "Mot-user-2026!", "password2": "Mot-user-2026!",
        "role": "department", "department": personas.dept_mot.department_id, "display_name": "新用户"})
    created = User.objects.get(username="new-mot")
    assert (created.role, created.department.slug) == ("department", "mot")
