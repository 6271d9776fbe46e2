import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from chainwork.errors import NotPermitted, ValidationError
from enterprises import services
from enterprises.models import Enterprise, StatusReport
from enterprises.services import EnterpriseData, PartnerData, StatusData
from tests.factories import AbroadEnterpriseFactory, EnterpriseFactory, region

pytestmark = pytest.mark.django_db

HUAWEI = "914403001922038216"


def data(**kwargs):
    base = {"name": "武汉测试机械有限公司", "credit_code": "91420100MA4K0001X0", "region": region("42")}
    base.update(kwargs)
    return EnterpriseData(**base)


def valid_hubei_code():
    from tests.factories import make_credit_code

    return make_credit_code("420100", 42)


def test_hubei_official_registers_a_hubei_enterprise(personas):
    result = services.enterprise_save(actor=personas.hubei, data=data(credit_code=valid_hubei_code()))
    assert result.created and result.enterprise.list_region_id == "42"


def test_the_credit_code_is_normalised_before_saving(personas):
    spaced = " ".join(valid_hubei_code()[i:i + 4] for i in range(0, 18, 4)).lower()
    result = services.enterprise_save(actor=personas.hubei, data=data(credit_code=spaced))
    assert result.enterprise.credit_code == valid_hubei_code()


def test_a_wrong_check_character_names_the_expected_one(personas):
    with pytest.raises(ValidationError) as error:
        services.enterprise_save(actor=personas.guangdong,
                                 data=data(credit_code="914403001922038217", region=region("44")))
    assert "6" in error.value.message_dict["credit_code"][0]


def test_a_duplicate_code_in_another_spelling_is_refused(personas):
    services.enterprise_save(actor=personas.guangdong, data=data(credit_code=HUAWEI, region=region("44")))
    with pytest.raises(ValidationError) as error:
        services.enterprise_save(actor=personas.guangdong,
                                 data=data(name="另一家", credit_code="９１４４ ０３００-１９２２０３８２１６",
                                           region=region("44")))
    assert "credit_code" in error.value.message_dict


def test_a_division_mismatch_is_a_warning_not_an_error(personas):
    result = services.enterprise_save(actor=personas.hubei, data=data(credit_code=HUAWEI))
    assert result.warnings and result.enterprise.pk


def test_an_org_code_mismatch_is_an_error_for_a_province(personas):
    with pytest.raises(ValidationError) as error:
        services.enterprise_save(actor=personas.guangdong,
                                 data=data(credit_code="91440300192203825J", region=region("44")))
    assert "1" in error.value.message_dict["credit_code"][0]


def test_the_ministry_may_confirm_an_org_code_mismatch(personas):
    result = services.enterprise_save(actor=personas.ministry, confirm_org_code=True,
                                      data=data(credit_code="91440300192203825J", region=region("44")))
    assert result.enterprise.org_code_confirmed_by == personas.ministry


def test_a_province_cannot_confirm_an_org_code_mismatch(personas):
    with pytest.raises(ValidationError):
        services.enterprise_save(actor=personas.guangdong, confirm_org_code=True,
                                 data=data(credit_code="91440300192203825J", region=region("44")))


def test_a_hubei_official_cannot_register_a_guangdong_enterprise(personas):
    with pytest.raises(NotPermitted):
        services.enterprise_save(actor=personas.hubei, data=data(credit_code=HUAWEI, region=region("44")))


def test_a_domestic_enterprise_needs_a_credit_code(personas):
    with pytest.raises(ValidationError) as error:
        services.enterprise_save(actor=personas.hubei, data=data(credit_code=""))
    assert "credit_code" in error.value.message_dict


def test_an_enterprise_abroad_has_a_country_and_no_code(personas):
    result = services.enterprise_save(actor=personas.hubei,
                                      data=EnterpriseData(name="Nippon Optics", country="日本"))
    assert (result.enterprise.credit_code, result.enterprise.list_region_id) == (None, None)


def test_an_enterprise_abroad_remembers_the_region_that_added_it(personas):
    result = services.enterprise_save(actor=personas.hubei,
                                      data=EnterpriseData(name="Nippon Optics", country="日本"))
    assert result.enterprise.added_by_region_id == "42"


def test_an_abroad_supplier_already_added_by_another_region_is_linked_not_duplicated(personas):
    existing = AbroadEnterpriseFactory(name="Nippon Optics", country="日本", added_by_region=region("44"))
    lead = EnterpriseFactory(is_lead=True)
    link, created = services.supply_link_add(
        actor=personas.hubei, lead=lead, partner=services.PartnerData(name="Nippon Optics", country="日本"),
        direction="upstream")
    assert (link.partner_id, created) == (existing.pk, False)


def test_a_bad_phone_number_is_refused_in_chinese(personas):
    with pytest.raises(ValidationError) as error:
        services.enterprise_save(actor=personas.hubei, data=data(credit_code=valid_hubei_code(),
                                                                 contact_phone="abc"))
    assert "联系电话" in error.value.message_dict["contact_phone"][0]


def test_pinyin_initials_are_stored(personas):
    result = services.enterprise_save(actor=personas.hubei, data=data(name="华为技术", credit_code=valid_hubei_code()))
    assert result.enterprise.name_initials == "hwjs"


def test_search_by_initials_finds_the_enterprise(personas):
    services.enterprise_save(actor=personas.hubei, data=data(name="华为技术", credit_code=valid_hubei_code()))
    assert Enterprise.objects.search("hwjs").count() == 1


def test_a_ministry_liaison_may_not_edit(personas, chain):
    with pytest.raises(NotPermitted):
        services.enterprise_save(actor=personas.ministry_liaison, instance=chain["lead"],
                                 data=data(name="改名", credit_code=chain["lead"].credit_code))


def test_a_link_to_itself_is_refused(personas, chain):
    with pytest.raises(ValidationError):
        services.supply_link_create(actor=personas.hubei, lead=chain["lead"], partner=chain["lead"],
                                    direction="upstream")


def test_a_duplicate_link_is_refused(personas, chain):
    with pytest.raises(ValidationError):
        services.supply_link_create(actor=personas.hubei, lead=chain["lead"], partner=chain["guangdong_supplier"],
                                    direction="upstream")


def test_only_a_lead_enterprise_gets_supply_links(personas, chain):
    with pytest.raises(ValidationError) as error:
        services.supply_link_create(actor=personas.hubei, lead=chain["hubei_customer"],
                                    partner=chain["guangdong_supplier"], direction="upstream")
    assert "lead" in error.value.message_dict


def test_the_database_refuses_a_link_to_itself(chain):
    from enterprises.models import SupplyLink

    with pytest.raises(IntegrityError):
        SupplyLink.objects.create(lead=chain["lead"], partner=chain["lead"], direction="upstream")


def test_naming_an_unlisted_guangdong_supplier_registers_it_on_guangdong_list(personas, chain):
    link, created = services.supply_link_add(
        actor=personas.hubei, lead=chain["lead"], direction="upstream",
        partner=PartnerData(credit_code=HUAWEI, name="华为技术有限公司", region=region("44")))
    assert created and link.partner.list_region_id == "44"


def test_naming_a_listed_supplier_by_code_links_the_existing_one(personas, chain):
    link, created = services.supply_link_add(
        actor=personas.hubei, lead=chain["lead"], direction="downstream",
        partner=PartnerData(credit_code=chain["guangdong_supplier"].credit_code))
    assert not created and link.partner == chain["guangdong_supplier"]


def status(**kwargs):
    base = {"date": timezone.localdate(), "resumed": "partly", "staff_at_work": 80, "staff_normal": 100,
            "output": Decimal("60"), "output_normal": Decimal("100"), "capacity": Decimal("120")}
    base.update(kwargs)
    return StatusData(**base)


def test_rates_are_derived_from_the_figures(personas, chain):
    report = services.status_report_record(actor=personas.hubei, enterprise=chain["lead"], data=status())
    assert (report.staff_rate, report.output_rate, report.capacity_utilisation) == (
        Decimal("0.8000"), Decimal("0.6000"), Decimal("0.5000"))


def test_the_current_status_is_the_latest_report(personas, chain):
    today = timezone.localdate()
    services.status_report_record(actor=personas.hubei, enterprise=chain["lead"], data=status(date=today))
    services.status_report_record(actor=personas.hubei, enterprise=chain["lead"],
                                  data=status(date=today - dt.timedelta(days=3), resumed="no", staff_at_work=0,
                                              output=Decimal("0")))
    chain["lead"].refresh_from_db()
    assert (chain["lead"].status, chain["lead"].status_date) == ("partly", today)


def test_a_second_report_for_a_day_corrects_it(personas, chain):
    services.status_report_record(actor=personas.hubei, enterprise=chain["lead"], data=status())
    services.status_report_record(actor=personas.hubei, enterprise=chain["lead"], data=status(resumed="yes"))
    assert StatusReport.objects.get(enterprise=chain["lead"]).resumed == "yes"


def test_a_future_date_is_refused(personas, chain):
    with pytest.raises(ValidationError):
        services.status_report_record(actor=personas.hubei, enterprise=chain["lead"],
                                      data=status(date=timezone.localdate() + dt.timedelta(days=1)))


def test_not_resumed_with_staff_at_work_is_refused(personas, chain):
    with pytest.raises(ValidationError):
        services.status_report_record(actor=personas.hubei, enterprise=chain["lead"], data=status(resumed="no"))


def test_the_database_refuses_a_zero_normal_headcount(chain):
    with pytest.raises(IntegrityError):
        StatusReport.objects.create(enterprise=chain["lead"], date=timezone.localdate(), resumed="yes",
                                    staff_normal=0)


def test_a_guangdong_official_cannot_report_a_hubei_enterprise(personas, chain):
    with pytest.raises(NotPermitted):
        services.status_report_record(actor=personas.guangdong, enterprise=chain["lead"], data=status())


def test_an_assigned_liaison_officer_reports_status(personas, chain):
    from liaison.models import LiaisonAssignment

    LiaisonAssignment.objects.create(enterprise=chain["lead"], officer=personas.liaison_hubei)
    report = services.status_report_record(actor=personas.liaison_hubei, enterprise=chain["lead"], data=status())
    assert report.reported_by == personas.liaison_hubei
