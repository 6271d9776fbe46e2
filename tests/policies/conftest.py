import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from chainwork.models import Category, KeyField, Region
from policies.catalogue import load_policies
from policies.models import Policy, PolicyApplication
from tests.factories import EnterpriseFactory, region

TODAY = timezone.localdate()


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def catalogue(reference_data):
    """The seeded catalogue, also after a transactional test truncated the tables."""
    load_policies()
    return {p.slug: p for p in Policy.objects.all()}


def make_policy(name, *, sizes=(), key_fields=(), categories=(), regions=(), valid_from=None, valid_to=None,
                amount_kind="loan", **extra):
    policy = Policy.objects.create(name=name, slug=f"t-{Policy.objects.count()}-{len(name)}", sizes=list(sizes),
                                   valid_from=valid_from, valid_to=valid_to, amount_kind=amount_kind, **extra)
    policy.key_fields.set(KeyField.objects.filter(slug__in=key_fields))
    policy.categories.set(Category.objects.filter(slug__in=categories))
    policy.regions.set(Region.objects.filter(code__in=regions))
    return policy


@pytest.fixture
def small_loan(reference_data):
    """A current policy for medium and small enterprises with funding problems, nationwide."""
    return make_policy("测试中小企业贷款", sizes=["medium", "small"], categories=["funding"],
                       valid_from=days_ago(100))


@pytest.fixture
def hubei_medium(personas):
    return EnterpriseFactory(name="武汉中型机械有限公司", size="medium")


@pytest.fixture
def guangdong_small(personas):
    return EnterpriseFactory(name="佛山小型五金有限公司", size="small", region=region("44"))


def record(policy, enterprise, status, days, amount=None, *, by):
    return PolicyApplication.objects.create(policy=policy, enterprise=enterprise, status=status, date=days_ago(days),
                                            amount_wan=Decimal(amount) if amount is not None else None,
                                            recorded_by=by)
