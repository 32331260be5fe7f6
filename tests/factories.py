from datetime import UTC, timedelta

import factory
from allauth.account.models import EmailAddress

from billing.models import Contract, ContractContact, ContractLicense, add_months, organization_today
from hub.models import Organization, StaffContact, User

PASSWORD = "correct-horse-battery"


class StaffContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffContact

    name = factory.Faker("name")
    title = "Customer Success Manager"
    email = factory.Sequence(lambda n: f"staff{n}@vendor.example")
    phone = "+13035550100"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    data_center = Organization.DataCenter.FRA1
    license_type = Organization.LicenseType.ENTERPRISE
    time_zone = "Europe/Berlin"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"user{n}@customer.example")
    organization = factory.SubFactory(OrganizationFactory)
    user_type = User.UserType.STANDARD

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])
            if obj.email:
                EmailAddress.objects.get_or_create(
                    user=obj, email=obj.email, defaults={"verified": True, "primary": True}
                )


class BrandAdminFactory(UserFactory):
    user_type = User.UserType.BRAND_ADMIN


class StaffUserFactory(UserFactory):
    organization = None
    is_staff = True
    email = factory.Sequence(lambda n: f"agent{n}@vendor.example")


# --- Billing ---------------------------------------------------------------------------------
class ContractFactory(factory.django.DjangoModelFactory):
    """A contract ending `ends_in_days` (default 200) days from today in its organization's
    time zone, with a term of `term` months (default 12)."""

    class Meta:
        model = Contract

    class Params:
        ends_in_days = 200
        term = 12

    contract_number = factory.Sequence(lambda n: f"{50000000 + n}")
    organization = factory.SubFactory(OrganizationFactory)
    end_date = factory.LazyAttribute(lambda o: organization_today(o.organization) + timedelta(days=o.ends_in_days))
    start_date = factory.LazyAttribute(lambda o: add_months(o.end_date + timedelta(days=1), -o.term))


class ContractLicenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractLicense

    contract = factory.SubFactory(ContractFactory)
    product = factory.Sequence(lambda n: f"Product {n} — user seats")
    quantity = 100


class ContractContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractContact

    contract = factory.SubFactory(ContractFactory)
    role = "primary"
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"contact{n}@customer.example")


# --- Profiles --------------------------------------------------------------------------------
class CommunityProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "profiles.CommunityProfile"

    user = factory.SubFactory(UserFactory)
    username = factory.Sequence(lambda n: f"member{n}")
    rank = "Contributor"
    member_since = factory.Faker("date_between", start_date="-5y", end_date="-30d")
    topics_count = 12
    profile_url = factory.LazyAttribute(lambda o: f"https://community.example.com/u/{o.username}")
    changed_at = factory.Faker("date_time_this_year", tzinfo=UTC)


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "profiles.Certification"

    user = factory.SubFactory(UserFactory)
    external_id = factory.Sequence(lambda n: f"CERT-{n:04d}")
    name = factory.Sequence(lambda n: f"Certification {n}")
    status = "completed"
    completed_on = factory.Faker("date_between", start_date="-3y", end_date="-1d")
    certificate_url = factory.LazyAttribute(lambda o: f"https://academy.example.com/certificates/{o.external_id}")
    changed_at = factory.Faker("date_time_this_year", tzinfo=UTC)


# --- Support ---------------------------------------------------------------------------------
class TicketFactory(factory.django.DjangoModelFactory):
    """A technical email ticket about the seeded survey area, requested by a Northwind-like user."""

    class Meta:
        model = "support.Ticket"
        skip_postgeneration_save = True

    requester = factory.SubFactory(UserFactory)
    organization = factory.SelfAttribute("requester.organization")
    product_area = factory.LazyFunction(lambda: _area("surveys"))
    channel = "email"
    queue = factory.LazyAttribute(lambda t: t.product_area.queue if t.product_area else "account_services")
    language = "en"
    subject = factory.Sequence(lambda n: f"Survey question {n} shows the wrong label")
    description = "The third question shows the label of the second one since this morning."

    @factory.post_generation
    def created_event(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            from support.models import TicketEvent

            TicketEvent.objects.create(ticket=obj, kind="created", author=obj.requester, body=obj.description,
                                       to_status=obj.status)


def _area(slug):
    from support import product_data
    from support.models import ProductArea

    product_data.ensure()
    return ProductArea.objects.get(slug=slug)


class KnowledgeArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "support.KnowledgeArticle"
        django_get_or_create = ("language", "slug")

    slug = factory.Sequence(lambda n: f"article-{n}")
    language = "en"
    title = factory.Sequence(lambda n: f"Article {n}")
    body = "## Overview\n\nA short article.\n"
    areas = factory.LazyFunction(lambda: ["surveys"])


def assistant_conversation(user, area="surveys", question="Why do quota counts stop updating?"):
    """A conversation of `user` with the support assistant about `area`, with one question."""
    from support.models import AssistantConversation, AssistantTurn, ProductArea

    conversation = AssistantConversation.objects.create(
        organization=user.organization, user=user, product_area=ProductArea.objects.get(slug=area), language="en",
    )
    AssistantTurn.objects.create(conversation=conversation, question=question)
    return conversation


def staff_member(group_name, **fields):
    """A staff account in one of the hub's staff groups (ADM-1), e.g. `staff.SUPPORT_AGENTS`."""
    from django.contrib.auth.models import Group

    from hub.staff import sync_staff_groups

    sync_staff_groups()
    user = StaffUserFactory(**fields)
    user.groups.add(Group.objects.get(name=group_name))
    return user
