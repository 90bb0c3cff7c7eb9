"""factory_boy factories for the backbone."""

from __future__ import annotations

import factory

from liaison.models import Household, Organisation, Resident, Role, User
from members.models import PartyMember


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"组织{n}")
    code = factory.Sequence(lambda n: f"org-{n}")
    level = Organisation.Level.DISTRICT
    parent = None


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.CLERK
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", "pw-12345!")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    organisation = factory.SubFactory(OrganisationFactory, level=Organisation.Level.VILLAGE)
    group = "一组"
    address = factory.Sequence(lambda n: f"一组{n}号")
    head_name = factory.Sequence(lambda n: f"张{'三四五六七八九'[n % 7]}{n}")
    phone = "13812345678"


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    household = factory.SubFactory(HouseholdFactory)
    name = factory.LazyAttribute(lambda r: r.household.head_name)
    relation = Resident.Relation.HEAD
    gender = Resident.Gender.MALE
    birth_year = 1970
    phone = "13912345678"


class PartyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyMember

    organisation = factory.SubFactory(OrganisationFactory, level=Organisation.Level.BRANCH)
    name = factory.Sequence(lambda n: f"党员{n}")
    gender = PartyMember.Gender.MALE


def household_with_head(**kwargs) -> Household:
    """A household whose 户主 resident matches head_name, as the service saves it."""
    household = HouseholdFactory(**kwargs)
    ResidentFactory(household=household, name=household.head_name)
    return household


class UnitFactory(OrganisationFactory):
    """A 机关/企事业单位/“两新”/群团 party organisation (give `parent` and, usually, `unit_kind`)."""

    level = Organisation.Level.UNIT
