"""Issue 10's journey through the API alone, each actor with its own token."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


def test_a_problem_travels_from_a_province_to_closure_through_the_api(personas, chain):
    hubei, lead, ministry, mot = (client_for(personas.hubei), client_for(personas.hubei_lead),
                                  client_for(personas.ministry), client_for(personas.dept_mot))
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()

    case = ok(hubei.post("/api/v1/cases/", {
        "enterprise": chain["lead"].pk, "category": "logistics", "title": "芯片运输车辆跨省通行受阻",
        "description": "深圳至武汉运输受阻", "request": "请协调开通绿色通道", "urgency": "urgent",
        "named_enterprises": [chain["guangdong_supplier"].pk]}, format="json"), 201)
    url = f"/api/v1/cases/{case['id']}"
    ok(hubei.post(f"{url}/submit/", {"note": "涉及外省企业，提请部专班协调"}, format="json"))
    assert ok(lead.post(f"{url}/approve/", {}, format="json"))["state"] == "escalated"
    ok(ministry.post(f"{url}/accept/", {}, format="json"))
    routed = ok(ministry.post(f"{url}/route/", {"referrals": [
        {"department": "mot", "role": "lead", "due_date": due}]}, format="json"))
    assert routed["state"] == "routed"

    referral = ok(mot.get("/api/v1/referrals/"))["results"][0]
    ok(mot.post(f"/api/v1/referrals/{referral['id']}/respond/", {"response": "已开通绿色通道"}, format="json"))
    ok(ministry.post(f"{url}/respond/", {"response": "交通运输部已开通绿色通道", "closure_type": "solved"},
                     format="json"))
    ok(hubei.post(f"{url}/confirm/", {"confirmed_by": "东湖光电 张经理", "method": "电话",
                                      "satisfaction": "satisfied"}, format="json"))
    closed = ok(ministry.post(f"{url}/close/", {"note": "销号"}, format="json"))
    assert (closed["state"], closed["number"][:1]) == ("closed", "鄂")


def test_api_errors_speak_the_language_of_the_request(personas, chain):
    hubei = client_for(personas.hubei)
    response = hubei.post("/api/v1/cases/", {"enterprise": chain["lead"].pk}, format="json",
                          HTTP_ACCEPT_LANGUAGE="en")
    messages = " ".join(str(m) for ms in response.json().values() for m in (ms if isinstance(ms, list) else [ms]))
    assert response.status_code == 400 and any(word in messages for word in ("required", "Please", "Give"))


def test_api_errors_default_to_chinese(personas, chain):
    hubei = client_for(personas.hubei)
    response = hubei.post("/api/v1/cases/", {"enterprise": chain["lead"].pk}, format="json",
                          HTTP_ACCEPT_LANGUAGE="zh-hans")
    messages = " ".join(str(m) for ms in response.json().values() for m in (ms if isinstance(ms, list) else [ms]))
    assert response.status_code == 400 and ("请" in messages or "必填" in messages)
