"""factory_boy factories. Reference rows (regions, departments) come from the data migration."""

import factory
from factory.django import DjangoModelFactory

from chainwork.models import Department, Region, Role, User


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def department(slug: str) -> Department:
    return Department.objects.get(slug=slug)


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
