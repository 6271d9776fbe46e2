import datetime as dt

import pytest

from chainwork.models import Category, Department, Holiday, IndustrySection, KeyField, Region
from chainwork.reference import load_reference_data

pytestmark = pytest.mark.django_db


def test_there_are_31_regions_and_the_xpcc():
    assert Region.objects.count() == 32


def test_xpcc_has_internal_code_66_and_matches_credit_codes_by_6590():
    xpcc = Region.objects.get(code="66")
    assert (xpcc.name, xpcc.abbr, xpcc.division_prefix) == ("新疆生产建设兵团", "兵团", "6590")


def test_abbreviations_follow_the_order_of_the_codes():
    abbrs = "".join(Region.objects.exclude(code="66").order_by("code").values_list("abbr", flat=True))
    assert abbrs == "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔滇藏陕甘青宁新"


def test_hubei_six_digit_division_code():
    assert Region.objects.get(code="42").division_code == "420000"


def test_sixteen_departments_and_eight_miit_bureaus():
    kinds = sorted(Department.objects.values_list("kind", flat=True))
    assert (kinds.count("department"), kinds.count("bureau")) == (16, 8)


def test_miit_leads_the_work_group():
    assert list(Department.objects.filter(leads_work_group=True).values_list("slug", flat=True)) == ["miit"]


def test_logistics_is_solved_by_the_transport_ministry_and_needs_national_coordination():
    logistics = Category.objects.get(name="物流运输")
    assert list(logistics.departments.values_list("slug", flat=True)) == ["mot"]
    assert logistics.needs_national


def test_twelve_problem_categories():
    assert Category.objects.count() == 12


def test_the_key_fields_of_the_notice_and_the_automotive_chain():
    # The notice's five, and 汽车, which industry associations cover (design.md "行业协会").
    assert set(KeyField.objects.values_list("name", flat=True)) == {
        "防疫物资", "民生保障", "春耕备耕", "国际供应链产品", "劳动密集型产业", "汽车"}


def test_industry_sections_are_the_2017_edition():
    assert IndustrySection.objects.count() == 20
    assert IndustrySection.objects.get(code="T").divisions == "97"


def test_national_day_2026_is_seven_days_off():
    days = Holiday.objects.filter(name="国庆节", kind=Holiday.Kind.DAY_OFF)
    assert days.count() == 7


def test_spring_festival_2026_has_two_weekend_days_worked():
    days = Holiday.objects.filter(name="春节", kind=Holiday.Kind.WORKDAY).values_list("date", flat=True)
    assert sorted(days) == [dt.date(2026, 2, 14), dt.date(2026, 2, 28)]


def test_loading_again_adds_nothing():
    before = Holiday.objects.count() + Region.objects.count() + Department.objects.count()
    load_reference_data()
    assert Holiday.objects.count() + Region.objects.count() + Department.objects.count() == before


def test_loading_again_keeps_an_administrators_edit():
    Department.objects.filter(slug="nfra").update(name="国家金融监督管理总局（已核实）")
    load_reference_data()
    assert Department.objects.get(slug="nfra").name == "国家金融监督管理总局（已核实）"


def test_loading_restores_a_deleted_region():
    Region.objects.filter(code="66").delete()
    load_reference_data()
    assert Region.objects.filter(code="66").exists()
