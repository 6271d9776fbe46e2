"""The lifecycle table (cases/lifecycle.py): each action is one entry whose serializer is the API's body,
its schema and the page's form; its notifications go through the one notifier to each person's channels."""

import json

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from rest_framework import serializers

from cases.forms import action_form
from cases.lifecycle import ACTIONS
from cases.models import CaseEvent
from cases.tasks import notify_case_event, recipients
from cases.workflow import perform
from chainwork.channels import preference_set
from chainwork.errors import ValidationError
from chainwork.models import Notification, NotificationDelivery
from tests.cases.workflow_support import case_in, new_case


@pytest.fixture(scope="module")
def schema():
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


def _request_ref(schema, name: str) -> str:
    body = schema["paths"][f"/api/v1/cases/{{id}}/{name}/"]["post"]["requestBody"]
    return body["content"]["application/json"]["schema"]["$ref"]


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_every_action_has_a_serializer_for_its_body(name):
    assert issubclass(ACTIONS[name].body, serializers.Serializer)


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_the_api_documents_the_entrys_serializer_as_the_body(name, schema):
    assert _request_ref(schema, name) == f"#/components/schemas/{ACTIONS[name].body.__name__}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(set(ACTIONS) - {"route"}))
def test_the_page_form_has_the_fields_and_labels_of_the_entrys_serializer(name, personas):
    body = ACTIONS[name].body()
    form = action_form(name, user=personas.ministry)
    assert {field: str(form.fields[field].label) for field in form.fields} == \
        {field: str(body.fields[field].label) for field in form.fields}


@pytest.mark.django_db
def test_the_route_form_posts_the_entrys_referrals_and_note(personas):
    form = action_form("route", {"department_1": "mot", "role_1": "lead", "due_date_1": "2099-01-01", "note": "请办"},
                       user=personas.ministry)
    assert set(form.payload()) == set(ACTIONS["route"].body().fields) - {"version"}


@pytest.mark.django_db
def test_a_page_field_carries_the_serializers_limit(personas):
    form = action_form("handle-locally", user=personas.hubei)
    assert form.fields["unit"].widget.attrs["maxlength"] == ACTIONS["handle-locally"].body().fields["unit"].max_length


@pytest.mark.django_db
def test_the_serializers_limit_refuses_a_longer_unit_with_the_pages_message(personas, chain):
    case = new_case(personas, chain)
    data = {"unit": "局" * 101, "person": "李工", "phone": "027-1", "due_date": "2099-01-01"}
    with pytest.raises(ValidationError) as refused:
        perform(case_id=case.pk, action="handle-locally", actor=personas.hubei, data=data)
    assert refused.value.message_dict == {"unit": ["内容过长，最多100个字。"]}


# --- whom an action tells ----------------------------------------------------------------------------


@pytest.fixture
def submitted(personas, chain):
    case = perform(case_id=new_case(personas, chain).pk, action="submit", actor=personas.hubei, data={})
    return CaseEvent.objects.get(case=case, action="submit")


@pytest.mark.django_db
def test_a_timeline_event_writes_an_email_delivery_for_a_user_who_chose_email(personas, submitted, settings):
    settings.NOTIFY_DEFAULT_CHANNELS = []
    preference_set(user=personas.hubei_lead, kind="case_event", channels=["email"])
    notify_case_event(submitted.pk)
    deliveries = NotificationDelivery.objects.filter(notification__user=personas.hubei_lead)
    assert list(deliveries.values_list("channel", flat=True)) == ["email"]


@pytest.mark.django_db
def test_a_timeline_event_writes_no_delivery_for_a_user_who_chose_in_app_only(personas, submitted, settings):
    settings.NOTIFY_DEFAULT_CHANNELS = ["email"]
    preference_set(user=personas.hubei_lead, kind="case_event", channels=[])
    notify_case_event(submitted.pk)
    assert not NotificationDelivery.objects.exists()


@pytest.mark.django_db
def test_running_the_event_task_twice_writes_one_delivery(personas, submitted, settings):
    settings.NOTIFY_DEFAULT_CHANNELS = ["email"]
    notify_case_event(submitted.pk)
    notify_case_event(submitted.pk)
    assert NotificationDelivery.objects.count() == 1


@pytest.mark.django_db
def test_the_actor_is_not_told_of_their_own_action(personas, chain):
    """领导批示 tells the province and the 部专班; the 部专班 member who wrote it is not told."""
    case = case_in("accepted", personas, chain)
    perform(case_id=case.pk, action="instruct", actor=personas.ministry, data={"text": "抓紧协调"})
    event = CaseEvent.objects.get(case=case, action="instruct")
    notify_case_event(event.pk)
    assert not Notification.objects.filter(user=personas.ministry).exists()


@pytest.mark.django_db
def test_the_actors_colleagues_are_told(personas, chain):
    case = case_in("accepted", personas, chain)
    perform(case_id=case.pk, action="instruct", actor=personas.ministry, data={"text": "抓紧协调"})
    event = CaseEvent.objects.get(case=case, action="instruct")
    assert personas.hubei_lead.pk in recipients(event)


@pytest.mark.django_db
def test_a_departments_answer_tells_the_ministry(personas, chain):
    from cases.referrals import perform_referral

    case = case_in("routed", personas, chain)
    perform_referral(referral_id=case.referrals.get().pk, action="respond", actor=personas.dept_mot,
                     data={"response": "已开通绿色通道"})
    event = CaseEvent.objects.get(case=case, action="referral-respond")
    assert personas.ministry.pk in recipients(event)


@pytest.mark.django_db
def test_routing_tells_the_department_routed_to(personas, chain):
    case = case_in("routed", personas, chain)
    event = CaseEvent.objects.get(case=case, action="route")
    assert personas.dept_mot.pk in recipients(event)


@pytest.mark.django_db
def test_escalation_tells_the_ministry_liaison_covering_the_region(personas, chain):
    case = case_in("escalated", personas, chain)
    event = CaseEvent.objects.get(case=case, action="approve")
    assert personas.ministry_liaison.pk in recipients(event)
