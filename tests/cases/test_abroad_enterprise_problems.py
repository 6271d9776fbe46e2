"""A problem about an enterprise abroad, which is on no region's list (issue #22)."""

import pytest

from cases.services import CaseData, case_create
from chainwork.errors import ValidationError
from chainwork.models import Category
from tests.factories import AbroadEnterpriseFactory, region

pytestmark = pytest.mark.django_db


def data_for(enterprise):
    return CaseData(enterprise_id=enterprise.pk, category_id=Category.objects.get(slug="supply-chain").pk,
                    title="境外供应商停产", description="德国工厂停工", request="协调替代供应")


def test_a_problem_about_an_enterprise_abroad_belongs_to_the_region_that_added_it(personas):
    case = case_create(actor=personas.hubei, data=data_for(AbroadEnterpriseFactory(added_by_region=region("42"))))
    assert case.region_id == "42"


def test_a_problem_about_an_enterprise_abroad_the_ministry_added_is_refused_on_the_enterprise(personas):
    abroad = AbroadEnterpriseFactory(added_by_region=None)
    with pytest.raises(ValidationError) as error:
        case_create(actor=personas.hubei, data=data_for(abroad))
    assert "enterprise" in error.value.message_dict
