"""Who may use which part of support. Views, menus, templates, the admin and tests ask these;
nobody re-derives a rule. Ticket visibility itself lives on `Ticket.objects.visible_to(user)`."""

from django.utils import timezone

from billing.access import is_contract_contact
from hub import staff
from hub.access import is_brand_admin, is_customer, license_type, per_request

from . import availability
from .availability import LICENSE_CHANNELS
from .choices import Channel, LicenseType, Queue

# ADM-1: the queues each staff group works. Customer success reads every queue (view permission
# only); superusers work all of them.
GROUP_QUEUES = {
    staff.SUPPORT_AGENTS: (Queue.TECHNICAL, Queue.ENTERPRISE, Queue.DISCOVER),
    staff.ACCOUNT_SERVICES: (Queue.ACCOUNT_SERVICES,),
    staff.CUSTOMER_SUCCESS: tuple(Queue.values),
}


@per_request
def can_get_support(user):
    """SUP-6: support is given to customer accounts (vendor staff use the admin)."""
    return is_customer(user)


@per_request
def can_request_account_services(user):
    """SUP-1: Account Services support is for brand administrators and for the primary and
    billing contacts of their organization's contracts."""
    return is_brand_admin(user) or is_contract_contact(user)


@per_request
def can_contact_support_directly(user):
    """SUP-5: free accounts get the assistant and the Community only."""
    return is_customer(user) and license_type(user) != LicenseType.FREE


@per_request
def can_request_callback(user):
    """CB-1: phone callbacks come with licenses that include the phone channel (SUP-5)."""
    return can_contact_support_directly(user) and Channel.PHONE in LICENSE_CHANNELS.get(license_type(user), ())


def can_see_organization_tickets(user):
    """Brand administrators may switch My tickets to their whole organization's tickets."""
    return is_brand_admin(user)


def can_act_on_ticket(user, ticket):
    """Replying, marking solved and rating are for the requester: support is given for the
    signed-in account only; an administrator reading a colleague's ticket cannot write into it."""
    return is_customer(user) and ticket.requester_id == user.pk


@per_request
def staff_queues(user):
    """The queues a staff member works (ADM-1 least privilege)."""
    if not (user.is_authenticated and user.is_staff and user.is_active):
        return ()
    if user.is_superuser:
        return tuple(Queue.values)
    names = set(user.groups.values_list("name", flat=True))
    return tuple(q for q in Queue.values if any(q in GROUP_QUEUES.get(name, ()) for name in names))


@per_request
def has_success_packages(user):
    """ENT-1: Enterprise Support comes with Success packages."""
    return is_customer(user) and user.organization.success_packages > 0


@per_request
def can_manage_enterprise_designations(user):
    """ENT-1: brand administrators of an organization with Success packages designate the users
    who get Enterprise Support (organization settings)."""
    return is_brand_admin(user) and has_success_packages(user)


@per_request
def is_enterprise_designated(user):
    """ENT-1: the user holds an Enterprise Support seat (while the organization has packages)."""
    from .models import EnterpriseDesignation

    return has_success_packages(user) and EnterpriseDesignation.objects.active().filter(user_id=user.pk).exists()


def can_verify_ticket(user, ticket):
    """ENT-3: only the requester verifies their own identity, while the ticket waits for it."""
    from .models import Ticket

    return can_act_on_ticket(user, ticket) and ticket.status == Ticket.Status.VERIFICATION_REQUIRED


@per_request
def can_schedule_calls(user):
    """SCH-1/SUP-5: scheduled calls are for users of licenses that include them and that have
    Success packages (each area says whether it allows them: `scheduling.can_book`). Asked of
    the availability engine, which owns the rule."""
    if not is_customer(user):
        return False
    organization = user.organization
    status = availability.channel_status(
        Channel.SCHEDULED_CALL,
        customer=availability.Customer(license_type=organization.license_type,
                                       success_packages=organization.success_packages),
        area=availability.Area(slug="", channels=frozenset({Channel.SCHEDULED_CALL})),
        language="en", now=timezone.now(), schedules=(),
    )
    return status.is_open
