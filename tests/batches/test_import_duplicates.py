"""Importing the same 问题清单 twice must not create every problem twice: a file imported before (its
content hash) and rows matching open problems (same enterprise and title) are listed, and the official
chooses — skip the matches or import anyway — before anything is written; all or nothing stays."""

import pytest
from django.urls import reverse

from cases import importing
from cases.models import Case
from cases.workflow import perform
from tests.batches.test_import import HEADERS, row, upload, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def first_file(chain):
    return xlsx(HEADERS, row(chain["lead"].credit_code, title="物流受阻"),
                row(chain["hubei_customer"].credit_code, title="配套不足"))


@pytest.fixture
def imported(personas, first_file):
    return importing.apply(upload(first_file), actor=personas.hubei)


@pytest.fixture
def second_file(chain):
    """One row the first file had (物流受阻 of the lead), one new."""
    return xlsx(HEADERS, row(chain["lead"].credit_code, title="物流受阻"),
                row(chain["lead"].credit_code, title="用工短缺"))


def test_a_file_imported_before_is_recognised(personas, first_file, imported):
    assert importing.dry_run(upload(first_file), actor=personas.hubei).earlier_imports


def test_a_new_file_is_not_taken_for_an_earlier_one(personas, imported, second_file):
    assert not importing.dry_run(upload(second_file), actor=personas.hubei).earlier_imports


def test_another_regions_import_of_the_same_file_is_not_told(personas, first_file, imported):
    assert not importing.dry_run(upload(first_file), actor=personas.guangdong).earlier_imports


def test_a_row_matching_an_open_problem_is_listed_with_its_number(personas, imported, second_file):
    report = importing.dry_run(upload(second_file), actor=personas.hubei)
    assert [(m.row, m.numbers) for m in report.matches] == [(2, [imported.numbers[0]])]


def test_a_closed_problem_is_no_match(personas, imported, second_file):
    perform(case_id=imported.case_ids[0], action="close-duplicate", actor=personas.hubei,
            data={"original": imported.case_ids[1]})
    assert importing.dry_run(upload(second_file), actor=personas.hubei).matches == []


def test_importing_matches_without_a_choice_writes_nothing(personas, imported, second_file):
    report = importing.apply(upload(second_file), actor=personas.hubei)
    assert not report.applied and Case.objects.count() == 2


def test_skipping_matches_imports_only_the_new_rows(personas, imported, second_file):
    report = importing.apply(upload(second_file), actor=personas.hubei, duplicates=importing.SKIP)
    assert report.created == 1 and Case.objects.filter(title="物流受阻").count() == 1


def test_importing_anyway_imports_every_row(personas, imported, second_file):
    importing.apply(upload(second_file), actor=personas.hubei, duplicates=importing.IMPORT_ANYWAY)
    assert Case.objects.filter(title="物流受阻").count() == 2


def test_a_whole_file_imported_again_is_held_until_the_choice(personas, first_file, imported):
    report = importing.apply(upload(first_file), actor=personas.hubei)
    assert not report.applied and Case.objects.count() == 2


def upload_page(client, content):
    return client.post(reverse("cases-import"), {"file": upload(content)})


def test_the_report_page_lists_the_matching_problem(client_for, personas, imported, second_file):
    response = upload_page(client_for(personas.hubei), second_file)
    assert imported.numbers[0] in response.content.decode()


def test_the_report_page_says_the_file_was_imported_before(client_for, personas, first_file, imported):
    response = upload_page(client_for(personas.hubei), first_file)
    assert "已导入过" in response.content.decode()


def test_confirming_without_a_choice_asks_again_and_writes_nothing(client_for, personas, imported, second_file):
    client = client_for(personas.hubei)
    token = upload_page(client, second_file).context["token"]
    response = client.post(reverse("cases-import-confirm"), {"token": token})
    assert response.status_code == 400 and Case.objects.count() == 2


def test_confirming_with_skip_imports_the_new_row(client_for, personas, imported, second_file):
    client = client_for(personas.hubei)
    token = upload_page(client, second_file).context["token"]
    client.post(reverse("cases-import-confirm"), {"token": token, "duplicates": "skip"})
    assert Case.objects.count() == 3


def test_the_choice_is_asked_in_english_for_an_english_user(client_for, personas, imported, second_file):
    from django.conf import settings

    client = client_for(personas.hubei)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Skip" in upload_page(client, second_file).content.decode()
