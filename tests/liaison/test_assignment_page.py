"""联络员分工 at national scale: the enterprise is typed (credit code or full name), never chosen from a
list of every enterprise, and the current assignments come a page at a time."""

import pytest
from django.urls import reverse

from liaison import services, views
from tests.factories import EnterpriseFactory
from tests.liaison.conftest import assign, contact

pytestmark = pytest.mark.django_db


def _assign(client, enterprise: str, officer):
    return client.post(reverse("enterprises-assignments"),
                       {"enterprise": enterprise, "officer": officer.pk, "cadence_days": ""})


def test_an_enterprise_is_assigned_by_its_credit_code(personas, client_for, chain):
    answer = _assign(client_for(personas.hubei), chain["lead"].credit_code.lower(), personas.liaison_hubei)
    assert answer.status_code == 302 and chain["lead"].liaison_assignments.exists()


def test_an_enterprise_is_assigned_by_its_full_name(personas, client_for, chain):
    _assign(client_for(personas.hubei), chain["hubei_customer"].name, personas.liaison_hubei)
    assert chain["hubei_customer"].liaison_assignments.exists()


def test_an_unknown_enterprise_is_refused_with_a_message(personas, client_for, chain):
    answer = _assign(client_for(personas.hubei), "不存在的企业", personas.liaison_hubei)
    assert answer.status_code == 200 and "找不到“不存在的企业”" in answer.content.decode()


def test_another_regions_enterprise_cannot_be_assigned_by_its_code(personas, client_for, chain):
    answer = _assign(client_for(personas.hubei), chain["guangdong_supplier"].credit_code, personas.liaison_hubei)
    assert answer.status_code == 200 and not chain["guangdong_supplier"].liaison_assignments.exists()


def test_the_page_lists_no_enterprise_choices(personas, client_for, chain):
    page = client_for(personas.hubei).get(reverse("enterprises-assignments")).content.decode()
    assert f'value="{chain["lead"].pk}"' not in page


def test_current_assignments_come_a_page_at_a_time(personas, client_for, monkeypatch):
    monkeypatch.setattr(views, "ASSIGNMENTS_PER_PAGE", 2)
    for _n in range(3):
        assign(personas.liaison_hubei, enterprise=EnterpriseFactory())
    answer = client_for(personas.hubei).get(reverse("enterprises-assignments"))
    assert len(answer.context["page"].object_list) == 2 and answer.context["page"].has_next()


def test_coverage_names_the_most_overdue_and_counts_the_rest(personas, monkeypatch):
    monkeypatch.setattr(services, "LATE_SHOWN", 1)
    older = contact(assign(personas.liaison_hubei), days_ago=20, next_in=-10)
    contact(assign(personas.liaison_hubei), days_ago=9, next_in=-2)
    [row] = services.coverage(personas.hubei)
    assert (row["late_count"], [a.pk for a in row["late"]]) == (2, [older.assignment_id])


def test_the_ministry_chooses_a_region_before_an_officer(personas, client_for):
    page = client_for(personas.ministry).get(reverse("enterprises-assignments"))
    assert "choose-region-first" in page.content.decode() and not page.context["form"].fields["officer"].choices[1:]


def test_a_region_lists_only_its_officers(personas, client_for):
    page = client_for(personas.ministry).get(reverse("enterprises-assignments"), {"region": "42"})
    officers = {value for value, _label in page.context["form"].fields["officer"].choices if value}
    assert personas.liaison_hubei.pk in officers and personas.liaison_guangdong.pk not in officers


def test_the_ministry_assigns_within_the_chosen_region(personas, client_for, chain):
    answer = client_for(personas.ministry).post(
        reverse("enterprises-assignments") + "?region=42",
        {"enterprise": chain["lead"].credit_code, "officer": personas.liaison_hubei.pk, "cadence_days": ""})
    assert answer.status_code == 302 and chain["lead"].liaison_assignments.get().officer == personas.liaison_hubei


def test_a_region_lists_only_its_assignments(personas, client_for, chain):
    assign(personas.liaison_hubei, enterprise=chain["lead"])
    page = client_for(personas.ministry).get(reverse("enterprises-assignments"), {"region": "44"})
    assert not page.context["page"].object_list
