import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from chainwork.models import Category, KeyField, Region
from policies.catalogue import load_policies
from policies.models import Policy, PolicyApplication
from tests.factories import EnterpriseFactory, SupplyLinkFactory, region

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


@pytest.fixture
def hubei_supplier(chain):
    """A small Hubei supplier of the Hubei lead's chain (产融对接, 清欠)."""
    supplier = EnterpriseFactory(name="武汉江城精密零部件有限公司", size="small")
    SupplyLinkFactory(lead=chain["lead"], partner=supplier, product="精密轴承")
    return supplier


def make_need(enterprise, *, by, amount="500", lead=None, **extra):
    from policies.services import FinancingNeedData, financing_need_create

    return financing_need_create(actor=by, data=FinancingNeedData(
        enterprise_id=enterprise.pk, amount_wan=Decimal(amount), purpose="working_capital",
        lead_id=lead.pk if lead else None, banks=["中国工商银行武汉分行"], **extra))


def make_arrear(creditor, *, by, owed="200", debtor_kind="government", **extra):
    from policies.services import ArrearData, arrear_create

    return arrear_create(actor=by, data=ArrearData(
        creditor_id=creditor.pk, debtor_name="某区城市建设投资有限公司", debtor_kind=debtor_kind,
        contract="2025-采购-017", owed_wan=Decimal(owed), **extra))
