"""factory_boy factories. Reference rows (regions, departments) come from the data migration."""

import factory
from factory.django import DjangoModelFactory

from chainwork.models import Association, Department, KeyField, Region, Role, User
from enterprises.services import pinyin_keys


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def department(slug: str) -> Department:
    return Department.objects.get(slug=slug)


def automotive() -> KeyField:
    return KeyField.objects.get(slug="automotive")


def auto_association(region_code: str | None = None, name: str = "测试汽车产业协会") -> Association:
    """An association covering the key field 汽车, nationwide (or in one region)."""
    association, created = Association.objects.get_or_create(
        name=name, defaults={"region": region(region_code) if region_code else None})
    if created:
        association.key_fields.set([automotive()])
    return association


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name", locale="zh_CN")
    role = Role.PROVINCE
    region = factory.LazyFunction(lambda: region("42"))
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def covered(self, create, extracted, **kwargs):
        if create and extracted:
            self.covered_regions.set([region(code) for code in extracted])
        if create:
            self.save()


def make_credit_code(division: str, n: int) -> str:
    """A valid 统一社会信用代码 for division code `division` (6 digits), unique per n."""
    from enterprises.credit_code import check_character, org_check_character

    org8 = f"{n:08d}"
    body = "91" + division + org8 + org_check_character(org8)
    return body + check_character(body)


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = "enterprises.Enterprise"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    region = factory.LazyFunction(lambda: region("42"))
    list_region = factory.LazyAttribute(lambda o: o.region)
    credit_code = factory.LazyAttributeSequence(
        lambda o, n: make_credit_code(f"{o.region.code}0100", 10_000_000 + n) if o.region else None)
    country = ""
    size = "large"
    is_lead = False
    name_pinyin = factory.LazyAttribute(lambda o: pinyin_keys(o.name)[0])
    name_initials = factory.LazyAttribute(lambda o: pinyin_keys(o.name)[1])


class AbroadEnterpriseFactory(EnterpriseFactory):
    region = None
    list_region = None
    added_by_region = factory.LazyFunction(lambda: region("42"))
    country = "德国"


class SupplyLinkFactory(DjangoModelFactory):
    class Meta:
        model = "enterprises.SupplyLink"

    lead = factory.SubFactory(EnterpriseFactory, is_lead=True)
    partner = factory.SubFactory(EnterpriseFactory)
    direction = "upstream"
    criticality = "core"
    product = "零部件"
    single_source = False


class IndustryChainFactory(DjangoModelFactory):
    class Meta:
        model = "enterprises.IndustryChain"
        django_get_or_create = ("slug",)

    slug = "auto"
    name = "汽车"


class IndustryChainLeadFactory(DjangoModelFactory):
    class Meta:
        model = "enterprises.IndustryChainLead"

    chain = factory.SubFactory(IndustryChainFactory)
    enterprise = factory.SubFactory(EnterpriseFactory, is_lead=True)
