"""国际疫情研判: the register of countries' situations and what a situation exposes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse

from enterprises.models import CountrySituation, Enterprise
from tests.factories import AbroadEnterpriseFactory, EnterpriseFactory, SupplyLinkFactory, region

pytestmark = pytest.mark.django_db

SITUATIONS = "/api/v1/country-situations/"
LOCKDOWN = {"country": "韩国", "kind": "lockdown", "severity": "high", "started_on": "2026-03-01",
            "source": "驻韩国使馆经商处通报"}


@pytest.fixture
def as_user(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


@dataclass
class Korea:
    wafers: Enterprise
    single_sourced: Enterprise  # Hubei, buys wafers only from Korea
    indirect: Enterprise  # Hubei, buys from a Guangdong maker that buys Korean wafers
    guangdong_lead: Enterprise
    domestic_wafers: Enterprise


@pytest.fixture
def korea(personas):
    wafers = AbroadEnterpriseFactory(name="Hanbit Wafer", country="韩国")
    single = EnterpriseFactory(name="武汉芯片制造", is_lead=True)
    indirect = EnterpriseFactory(name="江城汽车", is_lead=True)
    chips = EnterpriseFactory(name="前海车规芯片", region=region("44"), is_lead=True)
    gd_lead = EnterpriseFactory(name="广州电子", region=region("44"), is_lead=True)
    domestic = EnterpriseFactory(name="上海硅片", region=region("31"))
    SupplyLinkFactory(lead=single, partner=wafers, direction="upstream", product="晶圆", criticality="core",
                      single_source=True)
    SupplyLinkFactory(lead=indirect, partner=chips, direction="upstream", product="MCU芯片", criticality="core")
    SupplyLinkFactory(lead=chips, partner=wafers, direction="upstream", product="晶圆", criticality="important")
    SupplyLinkFactory(lead=gd_lead, partner=wafers, direction="upstream", product="晶圆", criticality="general")
    SupplyLinkFactory(lead=EnterpriseFactory(name="苏州存储", region=region("32"), is_lead=True),
                      partner=domestic, direction="upstream", product="晶圆")
    return Korea(wafers, single, indirect, gd_lead, domestic)


def lockdown(**changes):
    values = {"country": "韩国", "kind": "lockdown", "severity": "high", "started_on": dt.date(2026, 3, 1),
              "source": "驻韩国使馆经商处通报"} | changes
    return CountrySituation.objects.create(**values)


def exposure(client, situation):
    return client.get(f"{SITUATIONS}{situation.pk}/exposure/").json()


# --- the register ---------------------------------------------------------------------------------------


def test_the_ministry_records_a_lockdown(personas, as_user):
    assert as_user(personas.ministry).post(SITUATIONS, LOCKDOWN, format="json").status_code == 201


def test_the_recorded_lockdown_is_shown_in_words(personas, as_user):
    body = as_user(personas.ministry).post(SITUATIONS, LOCKDOWN, format="json").json()
    assert (body["kind_label"], body["severity_label"]) == ("封锁/停工", "严重")


def test_a_province_may_not_record_a_situation(personas, as_user):
    assert as_user(personas.hubei).post(SITUATIONS, LOCKDOWN, format="json").status_code == 403


def test_a_province_reads_the_register(personas, as_user):
    lockdown()
    assert as_user(personas.hubei).get(SITUATIONS).json()["count"] == 1


def test_a_department_may_not_read_the_register(personas, as_user):
    assert as_user(personas.dept_mot).get(SITUATIONS).status_code == 403


def test_an_end_before_the_start_is_refused_on_the_end_date(personas, as_user):
    response = as_user(personas.ministry).post(SITUATIONS, LOCKDOWN | {"ended_on": "2026-02-01"}, format="json")
    assert response.status_code == 400 and "ended_on" in response.json()


def test_an_unknown_kind_is_refused_on_the_kind(personas, as_user):
    response = as_user(personas.ministry).post(SITUATIONS, LOCKDOWN | {"kind": "war"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()


def test_the_ministry_ends_a_situation(personas, as_user):
    situation = lockdown()
    as_user(personas.ministry).patch(f"{SITUATIONS}{situation.pk}/", {"ended_on": "2026-04-01"}, format="json")
    situation.refresh_from_db()
    assert situation.ended_on == dt.date(2026, 4, 1)


def test_a_recorded_situation_is_in_the_history(personas, as_user):
    from pghistory.models import Events
    as_user(personas.ministry).post(SITUATIONS, LOCKDOWN, format="json")
    assert Events.objects.tracks(CountrySituation.objects.get()).count() == 1


# --- the exposure ---------------------------------------------------------------------------------------


def test_the_single_sourced_lead_comes_first(korea, personas, as_user):
    body = exposure(as_user(personas.ministry), lockdown())
    assert body["leads"][0]["lead"]["name"] == "武汉芯片制造"


def test_a_lead_fed_through_a_domestic_supplier_is_exposed(korea, personas, as_user):
    names = {row["lead"]["name"] for row in exposure(as_user(personas.ministry), lockdown())["leads"]}
    assert "江城汽车" in names


def test_a_domestic_supplier_of_the_same_product_is_an_alternative(korea, personas, as_user):
    first = exposure(as_user(personas.ministry), lockdown())["leads"][0]
    assert "上海硅片" in [p["name"] for p in first["alternatives"]["晶圆"]]


def test_a_hubei_official_sees_no_guangdong_lead_exposed(korea, personas, as_user):
    names = {row["lead"]["name"] for row in exposure(as_user(personas.hubei), lockdown())["leads"]}
    assert "广州电子" not in names


def test_another_country_exposes_nothing(korea, personas, as_user):
    assert exposure(as_user(personas.ministry), lockdown(country="日本"))["leads"] == []


def test_the_exposure_costs_a_query_a_tier(korea, personas, as_user, django_assert_max_num_queries):
    client, situation = as_user(personas.ministry), lockdown()
    with django_assert_max_num_queries(12):
        exposure(client, situation)


def test_the_register_costs_the_same_for_many_situations(personas, as_user, django_assert_max_num_queries):
    for n in range(10):
        lockdown(country=f"国家{n}")
    client = as_user(personas.hubei)
    with django_assert_max_num_queries(5):
        client.get(SITUATIONS)


# --- pages ----------------------------------------------------------------------------------------------


def test_recording_a_lockdown_on_the_page_lists_the_single_sourced_lead_first(korea, personas, client_for):
    client = client_for(personas.ministry)
    response = client.post(reverse("enterprises-chains-situations"), {
        "country": "韩国", "kind": "lockdown", "severity": "high", "started_on": "2026-03-01",
        "source": "驻韩国使馆经商处通报"}, follow=True)
    page = response.content.decode()
    assert page.index("武汉芯片制造") < page.index("江城汽车")


def test_a_province_sees_no_form_to_record_a_situation(personas, client_for):
    page = client_for(personas.hubei).get(reverse("enterprises-chains-situations")).content.decode()
    assert 'data-testid="situation-form"' not in page


def test_a_province_posting_a_situation_is_refused(personas, client_for):
    response = client_for(personas.hubei).post(reverse("enterprises-chains-situations"), {"country": "韩国"})
    assert response.status_code == 403


def test_a_missing_source_is_answered_next_to_the_field(personas, client_for):
    response = client_for(personas.ministry).post(reverse("enterprises-chains-situations"), {
        "country": "韩国", "kind": "lockdown", "severity": "high", "started_on": "2026-03-01"})
    assert response.status_code == 200 and not CountrySituation.objects.exists()


def test_the_assessment_report_lists_the_single_sourced_lead_first(korea, personas, client_for):
    import io

    from openpyxl import load_workbook
    situation = lockdown()
    response = client_for(personas.ministry).get(reverse("enterprises-chains-situation-export", args=[situation.pk]))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).active
    names = [row[1] for row in sheet.iter_rows(values_only=True) if row and row[0] == 1]
    assert names == ["武汉芯片制造"]


def test_the_national_exposure_is_kept_until_recounted(korea, personas, settings):
    from django.core.cache import cache
    from django.utils.translation import get_language

    from chainwork.kept import refresh_kept
    from enterprises.exposure import exposure_view

    situation = lockdown()
    settings.DASHBOARD_CACHE_SECONDS = 300
    cache.delete(f"exposure:v1:{situation.pk}:{situation.country}:{get_language()}")  # Redis outlives the test db
    before = {e.lead.name for e in exposure_view(situation, personas.ministry).leads}
    SupplyLinkFactory(lead=EnterpriseFactory(name="长沙整机", region=region("43"), is_lead=True),
                      partner=korea.wafers, direction="upstream", product="晶圆")
    assert {e.lead.name for e in exposure_view(situation, personas.ministry).leads} == before
    settings.DASHBOARD_CACHE_SECONDS = 1e-9  # every kept entry is older than this: the task recounts it
    refresh_kept()
    settings.DASHBOARD_CACHE_SECONDS = 300
    assert {e.lead.name for e in exposure_view(situation, personas.ministry).leads} == before | {"长沙整机"}
