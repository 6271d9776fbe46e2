"""第N批问题清单: batch submission by the province and approval by the lead (cases/batches.py, pages)."""

import pytest
from django.urls import reverse

from cases.batches import batch_approve, batch_submit
from cases.models import CaseBatch, CaseEvent, State
from cases.services import CaseData, case_create
from chainwork.errors import NotPermitted, ValidationError
from chainwork.models import Category

pytestmark = pytest.mark.django_db


def guangdong_case(personas, chain):
    data = CaseData(enterprise_id=chain["guangdong_lead"].pk, category_id=Category.objects.get(slug="labour").pk,
                    title="广州纺织用工缺口", description="缺工三百人。", request="请协助招工。")
    return case_create(actor=personas.guangdong, data=data)


def test_batches_are_numbered_per_region_and_year(personas, chain, hubei_case):
    first = batch_submit(personas.hubei, [hubei_case().pk, hubei_case("local").pk], "第一批")
    second = batch_submit(personas.hubei, [hubei_case().pk], "")
    guangdong = batch_submit(personas.guangdong, [guangdong_case(personas, chain).pk], "")
    assert first.batch.sequence == 1 and second.batch.sequence == 2
    assert guangdong.batch.sequence == 1
    assert "第1批" in first.batch.label and "第2批" in second.batch.label
    assert second.batch.title.endswith("第2批问题清单")
    assert first.batch.cases.count() == 2
    assert set(first.batch.cases.values_list("state", flat=True)) == {State.PENDING_APPROVAL}
    event = CaseEvent.objects.filter(case=first.batch.cases.first(), action="submit").get()
    assert "第1批" in event.note


def test_ineligible_members_are_refused_with_reasons(personas, chain, hubei_case):
    good = hubei_case()
    escalated = hubei_case("escalated")
    other = guangdong_case(personas, chain)
    result = batch_submit(personas.hubei, [good.pk, escalated.pk, other.pk, 999_999], "混合")
    assert [o.case_id for o in result.done] == [good.pk]
    refused = {o.case_id: o for o in result.refused}
    assert set(refused) == {escalated.pk, other.pk, 999_999}
    assert "已上报部专班" in refused[escalated.pk].message
    assert "不属于本地区" in refused[other.pk].message
    assert refused[other.pk].number == f"#{other.pk}"  # another region's number is not revealed
    assert list(result.batch.cases.all()) == [good]
    escalated.refresh_from_db()
    assert escalated.state == State.ESCALATED


def test_nothing_eligible_creates_no_batch_and_uses_no_number(personas, hubei_case):
    result = batch_submit(personas.hubei, [hubei_case("escalated").pk], "")
    assert result.batch is None and len(result.refused) == 1
    assert batch_submit(personas.hubei, [hubei_case().pk], "").batch.sequence == 1


@pytest.mark.parametrize("persona", ["ministry", "liaison_hubei", "dept_mot", "ministry_liaison"])
def test_only_province_roles_submit_batches(personas, hubei_case, persona):
    with pytest.raises(NotPermitted):
        batch_submit(getattr(personas, persona), [hubei_case().pk], "")


def test_empty_selection_is_an_input_error(personas):
    with pytest.raises(ValidationError):
        batch_submit(personas.hubei, [], "")


def test_lead_approves_the_whole_batch(personas, hubei_case):
    cases = [hubei_case(title=f"问题{i}") for i in range(3)]
    batch = batch_submit(personas.hubei, [c.pk for c in cases], "").batch
    # one member sent back meanwhile: reported, not approved
    from cases.workflow import perform
    perform(case_id=cases[2].pk, action="send-back", actor=personas.hubei_lead, data={"reason": "材料不全"})
    result = batch_approve(personas.hubei_lead, batch)
    assert {o.case_id for o in result.done} == {cases[0].pk, cases[1].pk}
    assert [o.case_id for o in result.refused] == [cases[2].pk]
    for case in cases[:2]:
        case.refresh_from_db()
        assert case.state == State.ESCALATED and case.signed_by == personas.hubei_lead


def test_approval_needs_the_lead_of_the_region(personas, hubei_case):
    from django.http import Http404
    batch = batch_submit(personas.hubei, [hubei_case().pk], "").batch
    with pytest.raises(NotPermitted):
        batch_approve(personas.hubei, batch)
    with pytest.raises(Http404):
        batch_approve(personas.guangdong_lead, batch)


# --- pages ------------------------------------------------------------------------------------------


def test_pages_create_list_detail_and_approve(client_for, personas, hubei_case):
    cases = [hubei_case(), hubei_case("local")]
    client = client_for(personas.hubei)
    page = client.get(reverse("cases-batch-create"))
    assert page.status_code == 200 and cases[0].number in page.content.decode()
    response = client.post(reverse("cases-batch-create"), {"ids": [c.pk for c in cases], "title": "十一月第一批"})
    batch = CaseBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases-batch-detail", args=[batch.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "第1批" in detail and "审核并上报全部" not in detail
    assert "十一月第一批" in client.get(reverse("cases-batches")).content.decode()

    lead = client_for(personas.hubei_lead)
    assert "审核并上报全部" in lead.get(reverse("cases-batch-detail", args=[batch.pk])).content.decode()
    response = lead.post(reverse("cases-batch-approve", args=[batch.pk]))
    assert response.status_code == 302
    assert set(batch.cases.values_list("state", flat=True)) == {State.ESCALATED}


def test_page_shows_refused_problems(client_for, personas, hubei_case):
    escalated = hubei_case("escalated")
    client = client_for(personas.hubei)
    response = client.post(reverse("cases-batch-create"), {"ids": [escalated.pk]}, follow=True)
    assert escalated.number in response.content.decode() and "未能提交审核" in response.content.decode()
    assert not CaseBatch.objects.exists()


@pytest.mark.parametrize(("persona", "list_status", "detail_status", "create_status", "approve_status"), [
    ("hubei", 200, 200, 200, 403),
    ("hubei_lead", 200, 200, 200, 302),
    ("ministry", 200, 200, 403, 403),
    ("admin", 200, 200, 403, 403),
    ("guangdong", 200, 404, 200, 404),
    ("guangdong_lead", 200, 404, 200, 404),
    ("ministry_liaison", 403, 403, 403, 403),
    ("liaison_hubei", 403, 403, 403, 403),
    ("dept_mot", 403, 403, 403, 403),
])
def test_page_permissions(client_for, personas, hubei_case, persona, list_status, detail_status, create_status,
                          approve_status):
    batch = batch_submit(personas.hubei, [hubei_case().pk], "").batch
    client = client_for(getattr(personas, persona))
    assert client.get(reverse("cases-batches")).status_code == list_status
    assert client.get(reverse("cases-batch-detail", args=[batch.pk])).status_code == detail_status
    assert client.get(reverse("cases-batch-create")).status_code == create_status
    assert client.post(reverse("cases-batch-approve", args=[batch.pk])).status_code == approve_status


def test_guangdong_does_not_list_hubei_batches(client_for, personas, hubei_case):
    batch = batch_submit(personas.hubei, [hubei_case(title="湖北专属问题").pk], "湖北第一批").batch
    assert batch.title not in client_for(personas.guangdong).get(reverse("cases-batches")).content.decode()


def test_anonymous_is_sent_to_login(client):
    assert client.get(reverse("cases-batches")).status_code == 302
