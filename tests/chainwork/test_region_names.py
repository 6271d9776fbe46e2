"""English pages name regions by the English names they carry (Hubei, Guangdong); Chinese pages by their
Chinese names. One place decides: Region.__str__ (display_name) reads the active language."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.cases.fixtures_api import new_case
from tests.factories import region

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client_for):
    def login(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


def test_a_region_is_named_in_english_under_english(reference_data):
    with translation.override("en"):
        assert str(region("42")) == "Hubei"


def test_a_region_is_named_in_chinese_under_chinese(reference_data):
    with translation.override("zh-hans"):
        assert str(region("42")) == "湖北省"


def test_the_enterprise_list_names_regions_in_english(english, personas, chain):
    html = english(personas.hubei).get(reverse("enterprises-list")).content.decode()
    assert "Hubei" in html and "湖北省" not in html


def test_the_enterprise_list_keeps_chinese_names_in_chinese(client_for, personas, chain):
    assert "湖北省" in client_for(personas.hubei).get(reverse("enterprises-list")).content.decode()


def test_the_region_filter_offers_english_names(english, personas, chain):
    html = english(personas.ministry).get(reverse("enterprises-list")).content.decode()
    assert ">Guangdong</option>" in html


def test_the_problem_list_names_regions_in_english(english, personas, chain):
    new_case(personas.hubei, chain["lead"])
    html = english(personas.hubei).get(reverse("cases-list")).content.decode()
    assert "Hubei" in html and "湖北省" not in html


def test_the_problem_list_costs_no_more_queries_in_english(client_for, english, personas, chain):
    for title in ("芯片断供", "物流受阻", "用工短缺"):
        new_case(personas.hubei, chain["lead"], title=title)
    counts = []
    for client in (client_for(personas.hubei), english(personas.hubei)):
        client.get(reverse("cases-list"))  # warm the fragment cache of either language alike
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("cases-list"))
        counts.append(len(queries))
    assert counts[1] == counts[0]
