"""协办 between provinces (issue 19): Hubei asks Guangdong about a problem naming a Guangdong supplier, with
a deadline; Guangdong answers with a formal 协办意见; each is told once; the light and the overdue sweep
follow the deadline; the 部专班 sees every 协办, open and answered."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseEvent, CaseShare
from cases.tasks import notify_case_event
from cases.workflow import perform
from chainwork.errors import InvalidState, NotPermitted, ValidationError
from chainwork.models import Notification, NotificationDelivery
from reports.digest import sweep

pytestmark = pytest.mark.django_db


def in_days(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def api(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def action_url(case, name: str) -> str:
    return f"/api/v1/cases/{case.pk}/{name}/"


def ask(case, actor, region="44", *, due=3, note="请协调深圳封装厂恢复供货"):
    return perform(case_id=case.pk, action="share", actor=actor,
                   data={"region": region, "note": note, "due_date": in_days(due) if due is not None else ""})


def reply(case, actor, text="已协调深圳封装厂本周恢复两条产线"):
    return perform(case_id=case.pk, action="share-reply", actor=actor, data={"text": text})


def told(event_action: str, case) -> list[int]:
    event = CaseEvent.objects.filter(case=case, action=event_action).latest("pk")
    notify_case_event(event.pk)
    return sorted(Notification.objects.filter(case_event_id=event.pk).values_list("user_id", flat=True))


@pytest.fixture
def problem(make_problem):
    """A Hubei problem, handled locally, naming the Guangdong supplier."""
    return make_problem("local")


@pytest.fixture
def asked(problem, personas):
    ask(problem, personas.hubei)
    return problem


# --- asking ---------------------------------------------------------------------------------------------


def test_hubei_asks_guangdong_through_the_api(api_client, personas, problem):
    response = api(api_client, personas.hubei).post(
        action_url(problem, "share"), {"region": "44", "note": "请协调", "due_date": in_days(3)}, format="json")
    assert response.status_code == 200
    share = CaseShare.objects.get(case=problem)
    assert (share.region_id, share.state, share.due_date.isoformat()) == ("44", "pending", in_days(3))


def test_hubei_asks_guangdong_through_the_page(client_for, personas, problem):
    response = client_for(personas.hubei).post(reverse("cases-action", args=[problem.pk, "share"]),
                                               {"region": "44", "note": "请协调", "due_date": in_days(2),
                                                "version": problem.version})
    assert response.status_code == 302
    assert CaseShare.objects.filter(case=problem, region="44", state="pending").exists()


def test_the_page_offers_hubei_only_the_regions_its_problem_names(client_for, personas, problem):
    html = client_for(personas.hubei).get(reverse("cases-detail", args=[problem.pk])).content.decode()
    form = html.split('data-testid="action-share"')[1].split("</form>")[0]
    assert ('value="44"' in form, 'value="33"' in form, "请选择" in form) == (True, False, True)


def test_hubei_cannot_ask_a_region_its_problem_does_not_name(api_client, personas, problem):
    response = api(api_client, personas.hubei).post(action_url(problem, "share"), {"region": "33"}, format="json")
    assert response.status_code == 400
    assert "浙江" in response.json()["region"][0]


def test_the_ministry_may_ask_any_region(personas, problem):
    ask(problem, personas.ministry, "33")
    assert CaseShare.objects.filter(case=problem, region="33").exists()


@pytest.mark.parametrize("persona", ["ministry_liaison", "guangdong"])
def test_other_roles_may_not_ask(personas, asked, persona):
    with pytest.raises(NotPermitted):
        ask(asked, getattr(personas, persona), "33")


def test_a_region_is_not_asked_twice_while_pending(personas, asked):
    with pytest.raises(ValidationError) as refused:
        ask(asked, personas.hubei_lead)
    assert "region" in refused.value.message_dict


def test_a_deadline_in_the_past_is_refused(personas, problem):
    with pytest.raises(ValidationError) as refused:
        ask(problem, personas.hubei, due=-1)
    assert "due_date" in refused.value.message_dict


def test_the_deadline_is_optional(personas, problem):
    ask(problem, personas.hubei, due=None)
    assert CaseShare.objects.get(case=problem).due_date is None


def test_asking_again_after_the_reply_reopens_the_share(personas, asked):
    reply(asked, personas.guangdong)
    ask(asked, personas.hubei, note="请再协调物流", due=5)
    share = CaseShare.objects.get(case=asked)
    assert (share.state, share.note, share.reply) == ("pending", "请再协调物流", "")
    assert asked.events.filter(action="share-reply").count() == 1


# --- who is told ------------------------------------------------------------------------------------------


def test_hubeis_request_tells_guangdongs_work_group_and_hubeis_lead(personas, asked):
    expected = sorted([personas.guangdong.pk, personas.guangdong_lead.pk, personas.hubei_lead.pk])
    assert told("share", asked) == expected


def test_the_ministrys_request_tells_only_the_asked_work_group(personas, problem):
    ask(problem, personas.ministry)
    assert told("share", problem) == sorted([personas.guangdong.pk, personas.guangdong_lead.pk])


def test_the_request_writes_one_email_delivery_per_person_told(personas, asked, settings):
    settings.NOTIFY_DEFAULT_CHANNELS = ["email"]
    told("share", asked)
    event = CaseEvent.objects.get(case=asked, action="share")
    notify_case_event(event.pk)  # a retried task adds nothing
    deliveries = NotificationDelivery.objects.filter(notification__case_event_id=event.pk, channel="email")
    assert deliveries.count() == 3


def test_the_reply_tells_hubeis_work_group_not_the_replier(personas, asked):
    reply(asked, personas.guangdong)
    assert told("share-reply", asked) == sorted([personas.hubei.pk, personas.hubei_lead.pk])


def test_a_reply_to_the_ministry_tells_the_member_who_asked(personas, problem):
    ask(problem, personas.ministry)
    reply(problem, personas.guangdong_lead)
    assert told("share-reply", problem) == [personas.ministry.pk]


# --- replying ---------------------------------------------------------------------------------------------


def test_guangdong_replies_through_the_api(api_client, personas, asked):
    response = api(api_client, personas.guangdong).post(action_url(asked, "share-reply"),
                                                        {"text": "已协调恢复供货"}, format="json")
    assert response.status_code == 200
    assert response.json()["share"]["state"] == "replied"
    assert CaseShare.objects.get(case=asked).reply == "已协调恢复供货"


def test_guangdong_replies_through_the_page(client_for, personas, asked):
    client = client_for(personas.guangdong)
    response = client.post(reverse("cases-action", args=[asked.pk, "share-reply"]), {"text": "已协调恢复供货"})
    assert response.status_code == 302
    assert CaseShare.objects.get(case=asked).state == "replied"


def test_the_reply_is_on_the_timeline_hubei_reads(client_for, personas, asked):
    reply(asked, personas.guangdong, "封装厂周三复产")
    html = client_for(personas.hubei).get(reverse("cases-detail", args=[asked.pk])).content.decode()
    assert "封装厂周三复产" in html.split('data-testid="timeline"')[1]


def test_a_reply_without_text_is_refused(api_client, personas, asked):
    response = api(api_client, personas.guangdong).post(action_url(asked, "share-reply"), {}, format="json")
    assert response.status_code == 400
    assert "text" in response.json()


def test_a_second_reply_answers_409(personas, asked):
    reply(asked, personas.guangdong)
    with pytest.raises(InvalidState):
        reply(asked, personas.guangdong_lead)


def test_the_problems_own_province_may_not_reply(personas, asked):
    with pytest.raises(NotPermitted):
        reply(asked, personas.hubei)


def test_a_region_not_asked_does_not_see_the_problem(api_client, personas, asked):
    response = api(api_client, personas.zhejiang).post(action_url(asked, "share-reply"), {"text": "x"}, format="json")
    assert response.status_code == 404


# --- the asked province's view ----------------------------------------------------------------------------


def test_guangdongs_limited_view_shows_its_own_named_enterprise_in_full(client_for, personas, chain, asked):
    html = client_for(personas.guangdong).get(reverse("cases-detail", args=[asked.pk])).content.decode()
    own = html.split('data-testid="own-enterprises"')[1].split("</section>")[0]
    assert reverse("enterprises-detail", args=[chain["guangdong_supplier"].pk]) in own
    assert chain["lead"].name not in own


def test_guangdongs_limited_view_has_the_reply_form(client_for, personas, asked):
    html = client_for(personas.guangdong).get(reverse("cases-detail", args=[asked.pk])).content.decode()
    assert 'data-testid="share-reply-form"' in html


def test_the_limited_api_view_carries_the_share(api_client, personas, asked):
    data = api(api_client, personas.guangdong).get(f"/api/v1/cases/{asked.pk}/").json()
    assert (data["share"]["due_date"], data["share"]["state"], data["share"]["light"]) == (in_days(3), "pending", "green")


def test_the_shared_list_api_carries_the_share(api_client, personas, asked):
    rows = api(api_client, personas.guangdong).get("/api/v1/cases/?shared=true").json()["results"]
    assert [row["share"]["state"] for row in rows] == ["pending"]


# --- the light and the sweep ------------------------------------------------------------------------------


def test_a_share_due_in_days_is_green(personas, asked):
    assert CaseShare.objects.get(case=asked).light == "green"


def test_a_share_is_yellow_on_its_last_day(personas, asked):
    last_day = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=3), dt.time(9)))
    with time_machine.travel(last_day):
        assert CaseShare.objects.get(case=asked).light == "yellow"


def test_a_share_past_its_deadline_is_red(personas, asked):
    with time_machine.travel(timezone.now() + dt.timedelta(days=5)):
        assert CaseShare.objects.get(case=asked).light == "red"


def test_a_replied_share_has_no_light_and_says_in_time(personas, asked):
    reply(asked, personas.guangdong)
    share = CaseShare.objects.get(case=asked)
    assert (share.light, share.replied_in_time) == ("", True)


def test_the_overdue_sweep_tells_guangdongs_work_group_once(personas, asked):
    later = timezone.now() + dt.timedelta(days=5)
    sweep(later)
    sweep(later)
    told_users = Notification.objects.filter(kind="share_overdue").values_list("user_id", flat=True)
    assert sorted(told_users) == sorted([personas.guangdong.pk, personas.guangdong_lead.pk])


def test_a_replied_share_is_not_chased(personas, asked):
    reply(asked, personas.guangdong)
    sweep(timezone.now() + dt.timedelta(days=5))
    assert not Notification.objects.filter(kind="share_overdue").exists()


# --- the lists --------------------------------------------------------------------------------------------


@pytest.fixture
def open_and_answered(make_problem, personas):
    """Two Hubei problems asked of Guangdong: one answered, one open."""
    answered, waiting = make_problem("local", title="已回复的协办"), make_problem("local", title="待回复的协办")
    ask(answered, personas.hubei)
    reply(answered, personas.guangdong)
    ask(waiting, personas.ministry, due=1)
    return answered, waiting


def test_the_ministry_list_shows_open_and_answered(client_for, personas, open_and_answered):
    html = client_for(personas.ministry).get(reverse("cases-shares")).content.decode()
    assert all(case.number in html for case in open_and_answered)


def test_the_list_filters_by_state(client_for, personas, open_and_answered):
    answered, waiting = open_and_answered
    html = client_for(personas.ministry).get(reverse("cases-shares") + "?state=replied").content.decode()
    assert (answered.number in html, waiting.number in html) == (True, False)


def test_guangdongs_list_puts_the_pending_first(client_for, personas, open_and_answered):
    answered, waiting = open_and_answered
    html = client_for(personas.guangdong).get(reverse("cases-shares")).content.decode()
    assert html.index(waiting.number) < html.index(answered.number)


def test_zhejiang_sees_no_share_of_others(client_for, personas, open_and_answered):
    html = client_for(personas.zhejiang).get(reverse("cases-shares")).content.decode()
    assert open_and_answered[0].number not in html


def test_a_department_may_not_open_the_share_list(client_for, personas):
    assert client_for(personas.dept_mot).get(reverse("cases-shares")).status_code == 403


def test_the_share_api_lists_what_the_user_sees(api_client, personas, open_and_answered):
    rows = api(api_client, personas.ministry).get("/api/v1/case-shares/").json()["results"]
    assert [row["state"] for row in rows] == ["pending", "replied"]


def test_the_share_api_shows_a_province_nothing_of_others(api_client, personas, open_and_answered):
    assert api(api_client, personas.zhejiang).get("/api/v1/case-shares/").json()["results"] == []


def test_the_share_list_costs_the_same_queries_for_more_rows(client_for, personas, make_problem,
                                                            django_assert_max_num_queries):
    for n in range(20):
        ask(make_problem("local", title=f"协办{n}"), personas.hubei)
    client = client_for(personas.ministry)
    client.get(reverse("cases-shares"))
    with django_assert_max_num_queries(6):
        response = client.get(reverse("cases-shares"))
    assert response.content.decode().count('data-share="') == 20
