"""A problem's rows and marks as the real templates render them (templates/cases/partials/): the badges,
the 问题台账's and the queue's rows, and their cached renderings, which must follow every change of
what a row shows, of the clock's light, of the language and of the request's CSRF token."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from cases.models import Case
from cases.templatetags.case_tags import light_badge, state_badge, urgency_badge
from cases.workflow import perform

CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


def row_of(html: str, case) -> str:
    return html.split(f'<tr data-case="{case.pk}">')[1].split("</tr>")[0]


# --- the badges ---------------------------------------------------------------------------------------------


def test_a_critical_problem_has_a_red_urgency_badge():
    assert urgency_badge("critical") == '<span class="badge text-bg-danger">特急</span>'


def test_a_state_badge_names_its_state_for_the_styles_and_the_reader():
    assert state_badge("escalated") == ('<span class="badge cw-state cw-state-escalated" data-state="escalated">'
                                        "已上报部专班</span>")


def test_an_overdue_light_is_red_and_says_so():
    html = light_badge("red")
    assert 'class="cw-light cw-light-red"' in html and "超期" in html


def test_no_light_is_a_dash():
    assert light_badge("") == '<span class="text-muted">—</span>'


def test_badges_speak_english_in_english_after_chinese():
    assert "特急" in urgency_badge("critical")
    with translation.override("en"):
        assert ("Critical" in urgency_badge("critical") and "Escalated to the ministry work group" in state_badge(
            "escalated") and "Overdue" in light_badge("red"))


def test_a_badge_escapes_an_unknown_value():
    assert "<b>" not in state_badge("<b>") and "&lt;b&gt;" in state_badge("<b>")


# --- the 问题台账's rows ---------------------------------------------------------------------------------------


@pytest.fixture
def list_page(client_for, personas):
    def get(user=None, query=""):
        response = client_for(user or personas.hubei).get(reverse("cases-list") + query)
        assert response.status_code == 200
        return response.content.decode()

    return get


@pytest.mark.django_db
def test_a_list_row_links_its_number_and_title_to_the_problem(list_page, make_problem):
    case = make_problem("local")
    row = row_of(list_page(), case)
    assert row.count(f'href="{reverse("cases-detail", args=[case.pk])}"') == 2 and case.number in row


@pytest.mark.django_db
def test_a_list_row_escapes_the_title(list_page, make_problem):
    case = make_problem("new", title="<script>alert(1)</script>")
    row = row_of(list_page(), case)
    assert "<script>" not in row and "&lt;script&gt;" in row


@pytest.mark.django_db
def test_a_list_row_shows_the_new_title_after_an_edit_that_keeps_the_version(list_page, make_problem):
    case = make_problem("local")
    list_page()
    Case.objects.filter(pk=case.pk).update(title="新的标题")
    assert "新的标题" in row_of(list_page(), case)


@pytest.mark.django_db
def test_a_list_row_shows_the_enterprise_renamed_after_it_was_rendered(list_page, make_problem):
    case = make_problem("local")
    list_page()
    case.enterprise.name = "更名后的企业有限公司"
    case.enterprise.save(update_fields=["name"])
    assert "更名后的企业有限公司" in row_of(list_page(), case)


@pytest.mark.django_db
def test_a_list_row_shows_the_state_after_an_action(list_page, make_problem, personas):
    case = make_problem("new")
    list_page()
    perform(case_id=case.pk, action="submit", actor=personas.hubei, data={})
    assert 'data-state="pending_approval"' in row_of(list_page(), case)


@pytest.mark.django_db
def test_a_list_row_turns_red_when_its_deadline_passes(list_page, make_problem):
    case = make_problem("local")
    assert "cw-light-green" in row_of(list_page(), case)
    with time_machine.travel(case.due_at + dt.timedelta(hours=1)):
        assert "cw-light-red" in row_of(list_page(), case)


@pytest.mark.django_db
def test_a_list_row_speaks_english_after_it_was_rendered_in_chinese(client_for, personas, make_problem):
    case = make_problem("local")
    client = client_for(personas.hubei)
    client.get(reverse("cases-list"))
    client.cookies["django_language"] = "en"
    html = client.get(reverse("cases-list")).content.decode()
    assert "In local handling" in row_of(html, case)


@pytest.mark.django_db
def test_a_lead_gets_a_box_only_on_rows_awaiting_approval(list_page, make_problem, personas):
    waiting, local = make_problem("pending_approval"), make_problem("local")
    html = list_page(personas.hubei_lead)
    assert f'value="{waiting.pk}:{waiting.version}"' in row_of(html, waiting)
    assert row_of(html, local).startswith('<td class="cw-check"></td>')


@pytest.mark.django_db
def test_an_official_without_a_bulk_action_gets_no_box_on_a_row_cached_with_one(list_page, make_problem, personas):
    case = make_problem("pending_approval")
    list_page(personas.hubei_lead)
    assert 'name="ids"' not in row_of(list_page(personas.hubei), case)


# --- the 部专班 queue ------------------------------------------------------------------------------------------

QUEUE_QUERY = "?urgency=normal&page=1"


@pytest.fixture
def queue_page(client_for, personas, make_problem):
    """The 部专班 queue, filtered, with two problems waiting."""
    first = make_problem("escalated", title="第一个问题")
    second = make_problem("escalated", title="第二个问题")
    response = client_for(personas.ministry).get(reverse("cases-queue") + QUEUE_QUERY)
    assert response.status_code == 200
    return response.content.decode(), first, second


@pytest.mark.django_db
def test_queue_actions_post_to_accept_and_both_returns(queue_page):
    html, first, _second = queue_page
    row = row_of(html, first)
    urls = [reverse("cases-action", args=[first.pk, action]) for action in ("accept", "return-for-info", "return-local")]
    assert all(f'"{url}"' in row for url in urls)


@pytest.mark.django_db
def test_queue_actions_carry_the_problems_version_in_both_forms(queue_page):
    html, first, _second = queue_page
    assert row_of(html, first).count(f'<input type="hidden" name="version" value="{first.version}">') == 2


@pytest.mark.django_db
def test_queue_actions_send_back_to_the_queue_as_filtered(queue_page):
    html, first, _second = queue_page
    next_input = f'<input type="hidden" name="next" value="{escape(reverse("cases-queue") + QUEUE_QUERY)}">'
    assert row_of(html, first).count(next_input) == 2


@pytest.mark.django_db
def test_each_queue_form_carries_a_csrf_token(queue_page):
    html, first, _second = queue_page
    assert len(CSRF_VALUE.findall(row_of(html, first))) == 2


@pytest.mark.django_db
def test_the_queue_page_has_one_csrf_token_value(queue_page):
    html, _first, _second = queue_page
    values = CSRF_VALUE.findall(html)
    assert len(values) >= 4 and len(set(values)) == 1 and values[0]


@pytest.mark.django_db
def test_a_queue_row_served_again_carries_the_token_of_this_request(queue_page, client_for, personas):
    html, first, _second = queue_page
    again = client_for(personas.ministry).get(reverse("cases-queue") + QUEUE_QUERY).content.decode()
    assert set(CSRF_VALUE.findall(row_of(again, first))) == set(CSRF_VALUE.findall(again)) != set(
        CSRF_VALUE.findall(html))


@pytest.mark.django_db
def test_a_liaison_sees_a_link_instead_of_the_queue_forms(client_for, personas, make_problem):
    case = make_problem("escalated")
    html = client_for(personas.ministry_liaison).get(reverse("cases-queue")).content.decode()
    row = row_of(html, case)
    assert "<form" not in row and f'href="{reverse("cases-detail", args=[case.pk])}"' in row


@pytest.mark.django_db
def test_a_queue_row_tells_how_long_the_problem_has_waited(client_for, personas, make_problem):
    case = make_problem("escalated")
    client_for(personas.ministry).get(reverse("cases-queue"))
    with time_machine.travel(timezone.now() + dt.timedelta(days=3, minutes=5)):
        html = client_for(personas.ministry).get(reverse("cases-queue")).content.decode()
    assert "已等待3" in row_of(html, case)
