"""The seed of the catalogue (domain.md) and its loader."""

import pytest

from policies.catalogue import POLICIES, load_policies
from policies.demo import seed_policies_demo
from policies.models import Policy, PolicyApplication

pytestmark = pytest.mark.django_db


def test_the_seed_holds_the_eight_policies_of_domain_md(catalogue):
    assert Policy.objects.count() == len(POLICIES) == 8


def test_loading_again_adds_nothing(catalogue):
    load_policies()
    assert Policy.objects.count() == 8


def test_loading_again_keeps_an_edit(catalogue):
    Policy.objects.filter(slug="relending").update(summary="部专班修改后的要点")
    load_policies()
    assert Policy.objects.get(slug="relending").summary == "部专班修改后的要点"


def test_the_seed_names_the_issuers(catalogue):
    assert set(catalogue["social-insurance-relief"].issuers.values_list("slug", flat=True)) == {"mohrss", "mof", "sta"}


def test_the_demo_seed_is_idempotent(personas, catalogue, chain):
    enterprises = {"dhgd": chain["lead"], "shdz": chain["guangdong_supplier"]}
    seed_policies_demo(enterprises)
    assert seed_policies_demo(enterprises) == 0 and PolicyApplication.objects.count() > 0
