"""The marks of a problem row rendered in Python (cases/templatetags/case_tags.py): the same markup the old
partials and the queue's inline forms had, in both languages."""

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from cases.deadlines import Light
from cases.models import State, Urgency
from cases.templatetags.case_tags import light_badge, short_time, state_badge, urgency_badge

LANGUAGES = ["zh-hans", "en"]


def normalised(html) -> str:
    """Markup with runs of whitespace as one space and none between tags."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


# --- the badges ---------------------------------------------------------------------------------------------

# The partials the tags replaced (templates/cases/partials/_urgency.html, _state_badge.html, _light.html
# before they were removed), kept here as the markup the tags must go on giving.
OLD_URGENCY = Template('{% if value == "critical" %}<span class="badge text-bg-danger">{{ label }}</span>{% elif value == "urgent" %}<span class="badge text-bg-warning">{{ label }}</span>{% else %}<span class="text-body-secondary">{{ label }}</span>{% endif %}')
OLD_STATE = Template('<span class="badge cw-state cw-state-{{ state }}" data-state="{{ state }}">{{ label }}</span>')
OLD_LIGHT = Template('{% load i18n %}{% if value == "red" %}<span class="cw-light cw-light-red" aria-hidden="true"></span> <span class="cw-light-text text-danger fw-semibold">{% translate "超期" %}</span>{% elif value == "yellow" %}<span class="cw-light cw-light-yellow" aria-hidden="true"></span> <span class="cw-light-text cw-text-warning fw-semibold">{% translate "临期" %}</span>{% elif value == "green" %}<span class="cw-light cw-light-green" aria-hidden="true"></span> <span class="cw-light-text">{% translate "正常" %}</span>{% else %}<span class="text-muted">—</span>{% endif %}')


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("value", Urgency.values)
def test_urgency_badge_is_the_old_partial(language, value):
    with translation.override(language):
        old = OLD_URGENCY.render(Context({"value": value, "label": Urgency(value).label}))
        assert normalised(urgency_badge(value)) == normalised(old)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("value", State.values)
def test_state_badge_is_the_old_partial(language, value):
    with translation.override(language):
        old = OLD_STATE.render(Context({"state": value, "label": State(value).label}))
        assert normalised(state_badge(value)) == normalised(old)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("value", [Light.RED, Light.YELLOW, Light.GREEN, Light.NONE])
def test_light_badge_is_the_old_partial(language, value):
    with translation.override(language):
        old = OLD_LIGHT.render(Context({"value": value}))
        assert normalised(light_badge(value)) == normalised(old)


def test_badges_speak_chinese_by_default():
    assert ("特急" in urgency_badge("critical") and "已上报部专班" in state_badge("escalated")
            and "超期" in light_badge("red"))


def test_badges_speak_english_in_english():
    with translation.override("en"):
        assert ("Critical" in urgency_badge("critical") and "Escalated to the ministry work group" in state_badge(
            "escalated") and "Overdue" in light_badge("red"))


def test_a_badge_escapes_an_unknown_value():
    assert "<b>" not in state_badge("<b>") and "&lt;b&gt;" in state_badge("<b>")


# --- short_time -------------------------------------------------------------------------------------------

FIVE_MARCH_UTC = dt.datetime(2026, 3, 5, 6, 30, tzinfo=dt.UTC)


def test_short_time_in_chinese_is_month_day_and_time_in_shanghai(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    assert short_time(FIVE_MARCH_UTC) == "3月5日 14:30"


def test_short_time_in_english(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    with translation.override("en"):
        assert short_time(FIVE_MARCH_UTC) == "March 5 14:30"


def test_short_time_is_what_the_old_date_filter_gave(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    old = Template('{% load i18n %}{{ value|date:_("n月j日 H:i") }}').render(Context({"value": FIVE_MARCH_UTC}))
    assert short_time(FIVE_MARCH_UTC) == old


def test_short_time_of_nothing_is_empty():
    assert short_time(None) == ""


# --- the queue's actions ------------------------------------------------------------------------------------

# The queue's 受理/退回 forms as _queue_table.html wrote them before queue_actions (commit bf04fff^).
OLD_QUEUE_ACTIONS = """{% load i18n %}
<div class="d-flex flex-wrap gap-1 align-items-start">
  <form method="post" action="{% url 'cases-action' c.pk 'accept' %}">
    {% csrf_token %}<input type="hidden" name="version" value="{{ c.version }}"><input type="hidden" name="next" value="{{ next }}">
    <button type="submit" class="btn btn-sm btn-success"><i class="bi bi-check-lg" aria-hidden="true"></i> {% translate "受理" %}</button>
  </form>
  <button class="btn btn-sm btn-outline-secondary" type="button" data-bs-toggle="collapse" data-bs-target="#return-{{ c.pk }}"
          aria-expanded="false" aria-controls="return-{{ c.pk }}">{% translate "退回" %}</button>
</div>
<form method="post" action="{% url 'cases-action' c.pk 'return-for-info' %}" class="collapse mt-2 cw-return-form" id="return-{{ c.pk }}">
  {% csrf_token %}<input type="hidden" name="version" value="{{ c.version }}"><input type="hidden" name="next" value="{{ next }}">
  <label class="form-label small" for="reason-{{ c.pk }}">{% translate "退回理由" %}</label>
  <textarea name="reason" id="reason-{{ c.pk }}" rows="2" class="form-control form-control-sm" required></textarea>
  <div class="d-flex flex-wrap gap-1 mt-1">
    <button type="submit" class="btn btn-sm btn-outline-danger">{% translate "退回补充材料" %}</button>
    <button type="submit" class="btn btn-sm btn-outline-danger" formaction="{% url 'cases-action' c.pk 'return-local' %}">{% translate "退回属地办理" %}</button>
  </div>
</form>"""
CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
QUEUE_QUERY = "?urgency=normal&page=1"


@pytest.fixture
def queue_page(client_for, personas, make_problem):
    """The 部专班 queue, filtered, with two problems waiting."""
    first = make_problem("escalated", title="第一个问题")
    second = make_problem("escalated", title="第二个问题")
    response = client_for(personas.ministry).get(reverse("cases-queue") + QUEUE_QUERY)
    assert response.status_code == 200
    return response.content.decode(), first, second


def row_of(html: str, case) -> str:
    return html.split(f'<tr data-case="{case.pk}">')[1].split("</tr>")[0]


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
def test_the_queue_page_has_one_csrf_token_value(queue_page):
    html, _first, _second = queue_page
    values = CSRF_VALUE.findall(html)
    assert len(values) >= 4 and len(set(values)) == 1 and values[0]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_queue_actions_are_the_old_inline_forms(problem, language):
    context = {"c": problem, "next": "/cases/queue/?urgency=normal&page=1", "csrf_token": "a-token"}
    with translation.override(language):
        new = Template("{% load case_tags %}{% queue_actions c %}").render(Context(context))
        old = Template(OLD_QUEUE_ACTIONS).render(Context(context))
    assert normalised(new) == normalised(old)
