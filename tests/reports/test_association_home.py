"""The 行业协会's 工作台 and menu: its problems and their state, its enterprises, and none of the work
group's pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.services import CaseData, case_create
from chainwork.menu import menu_for
from chainwork.models import Category, User
from tests.factories import automotive

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(personas, chain):
    chain["lead"].key_fields.add(automotive())
    return case_create(actor=personas.association, data=CaseData(
        enterprise_id=chain["lead"].pk, category_id=Category.objects.get(slug="supply-chain").pk,
        title="车规级芯片库存告急", description="库存仅够三天", request="请协调芯片供应"))


def test_the_home_lists_the_problems_the_association_registered_with_their_state(client_for, personas, registered):
    page = client_for(personas.association).get("/").content.decode()
    assert registered.number in page and "待研判" in page


def test_the_home_counts_the_problems_in_hand_and_the_enterprises_covered(client_for, personas, registered):
    response = client_for(personas.association).get("/")
    counts = {todo.key: todo.count for todo in response.context["todos"]}
    assert counts == {"registered_open": 1, "registered_closed": 0, "covered": 1}


def test_the_home_names_the_association_as_the_scope(client_for, personas):
    page = client_for(personas.association).get("/").content.decode()
    assert "测试汽车产业协会（全国）" in page


def test_the_home_costs_the_same_for_many_problems(client, personas, registered, chain):
    def queries() -> int:
        client.force_login(User.objects.get(pk=personas.association.pk))
        client.get("/")  # warms the per-process caches the first request fills
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    few = queries()
    for _n in range(9):
        case_create(actor=personas.association, data=CaseData(
            enterprise_id=chain["lead"].pk, category_id=Category.objects.get(slug="labour").pk,
            title="技术工人返岗不足", description="开工率低", request="请协助组织返岗"))
    assert queries() == few


def test_the_menu_of_an_association_is_its_own_pages(personas):
    keys = [entry["key"] for entry in menu_for(personas.association)]
    assert keys == ["home", "covered", "register", "registered"]


def test_the_menu_of_a_province_official_has_no_association_page(personas):
    keys = {entry["key"] for entry in menu_for(personas.hubei)}
    assert not keys & {"covered", "register", "registered"}
