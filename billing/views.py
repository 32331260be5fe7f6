"""Billing details under /profile/billing/ (BILL-1..9). Each view: access helper → selector →
at most one service → response. Not visible → 404; visible but not allowed → 403. Every URL
serves the full page, or its partial to htmx."""

import re
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, push_url, reswap, retarget

from hub.access import is_brand_admin, require
from hub.responses import render_htmx

from .access import can_edit_contacts, can_see_billing, can_see_contacts
from .documents import security_documents
from .forms import BillingQuestionForm, ContractContactForm
from .models import CONTRACT_NUMBER_PATTERN, Contract, ContractContact
from .panels import contract_banners
from .selectors import billing_page, contracts_visible_to, get_contract_for
from .services import (
    ContactChangedError,
    add_contract_contact,
    ask_billing_question,
    confirm_contract_contacts,
    update_contract_contact,
)

PAGE = "billing/contract_detail.html"
CONTRACT_NUMBER = re.compile(CONTRACT_NUMBER_PATTERN)


def contract_url(contract_number: str) -> str:
    return reverse("billing:contract_detail", kwargs={"contract_number": contract_number})


@dataclass
class ContactSlot:
    """One of a contract's two contact cards: the role, and the contact if one is named."""

    role: str
    label: str
    contact: ContractContact | None
    edit_url: str
    card_url: str


def _slot(contract: Contract, role: str, contact: ContractContact | None) -> ContactSlot:
    kwargs = {"contract_number": contract.contract_number, "role": role}
    return ContactSlot(
        role=role,
        label=ContractContact.Role(role).label,
        contact=contact,
        edit_url=reverse("billing:contact_edit", kwargs=kwargs),
        card_url=reverse("billing:contact_detail", kwargs=kwargs),
    )


def _contract_context(request, contract: Contract) -> dict:
    user = request.user
    show_contacts = can_see_contacts(user, contract)
    by_role = {contact.role: contact for contact in contract.contacts.all()}
    return {
        "contract": contract,
        "contract_url": contract_url(contract.contract_number),
        "days_left": contract.days_until_end(),
        "contract_banners": contract_banners(request, contract),
        "show_contacts": show_contacts,
        "can_edit_contacts": show_contacts and can_edit_contacts(user, contract),
        "contact_slots": [_slot(contract, role, by_role.get(role)) for role in ContractContact.Role]
        if show_contacts
        else [],
    }


def _render_page(request, page, *, notice: str = "", status: int = 200):
    context = {
        "current_section": "billing",
        "contracts": page.contracts,
        "show_switcher": len(page.contracts) > 1,
        "documents": security_documents(),
        "notice": notice,
        "contract": None,
    }
    if page.contract is not None:
        context.update(_contract_context(request, page.contract))
    return render_htmx(request, PAGE, context, partial="contract_panel", status=status)


def _visible_contract(request, contract_number: str) -> Contract:
    """The contract, if the user has the billing section and may see this contract; else 404."""
    require(can_see_billing(request.user))
    return get_contract_for(request.user, contract_number)


def _contact_context(request, contract: Contract, role: str) -> tuple[dict, ContractContact | None]:
    """404 when contacts are not shown for this contract (BILL-6); the slot for `role`."""
    require(can_see_contacts(request.user, contract))
    contact = next((c for c in contract.contacts.all() if c.role == role), None)
    context = {
        "current_section": "billing",
        "contract": contract,
        "contract_url": contract_url(contract.contract_number),
        "slot": _slot(contract, role, contact),
        "can_edit_contacts": can_edit_contacts(request.user, contract),
    }
    return context, contact


def _safe_next(request) -> str:
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return next_url
    return ""


@require_GET
def contract_detail(request, contract_number=None):
    """BILL-2..6: one contract of the user's (the soonest renewal when none is named), with the
    switcher when more than one is visible. `?contract=` is the switcher without JavaScript (a
    redirect to the contract's own URL) and with htmx (its panel, and the URL pushed)."""
    user = request.user
    require(can_see_billing(user))
    if contract_number is None and "contract" in request.GET:
        contract_number = request.GET["contract"]
        if not CONTRACT_NUMBER.fullmatch(contract_number):
            raise Http404
        if not request.htmx:
            if not contracts_visible_to(user).filter(contract_number=contract_number).exists():
                raise Http404
            return redirect(contract_url(contract_number))
        return push_url(_render_page(request, billing_page(user, contract_number)), contract_url(contract_number))
    return _render_page(request, billing_page(user, contract_number))


@require_POST
def contacts_confirm(request, contract_number):
    """BILL-9: Confirm contact, from the banner on the billing page (htmx: the refreshed contract)
    or on the home page (a redirect back)."""
    contract = _visible_contract(request, contract_number)
    require(can_see_contacts(request.user, contract))
    confirm_contract_contacts(actor=request.user, contract=contract)
    notice = _("Thank you. The contacts of contract %(number)s are confirmed for this renewal.") % {
        "number": contract.contract_number
    }
    next_url = _safe_next(request)
    if request.htmx and not next_url:
        return _render_page(request, billing_page(request.user, contract_number), notice=notice)
    messages.success(request, notice)
    return redirect(next_url or contract_url(contract_number))


@require_GET
def contact_detail(request, contract_number, role):
    """One contact card (htmx: Cancel on the edit form); without htmx, the contract page."""
    contract = _visible_contract(request, contract_number)
    context, _contact = _contact_context(request, contract, role)
    if not request.htmx:
        return redirect(f"{context['contract_url']}#contact-{role}")
    return render_htmx(request, PAGE, context, partial="contact_card")


def _conflict_form(form, current: ContractContact) -> ContractContactForm:
    """The user's entries again, now based on the current version, explaining what changed."""
    data = form.data.copy()
    data["version"] = str(current.version)
    fresh = ContractContactForm(data=data)
    fresh.is_valid()
    values = {"name": current.full_name, "email": current.email}
    if current.updated_at is not None:
        values["when"] = formats.date_format(timezone.localtime(current.updated_at), "DATETIME_FORMAT")
        values["who"] = current.updated_by_display or _("Someone")
        message = _(
            "%(who)s changed this contact on %(when)s while you were editing; it now reads "
            "%(name)s <%(email)s>. Nothing was saved. Save again to replace it with your entries."
        ) % values
    else:
        message = _(
            "This contact was added while you were editing; it reads %(name)s <%(email)s>. Nothing "
            "was saved. Save again to replace it with your entries."
        ) % values
    fresh.add_error(None, message)
    return fresh


@require_http_methods(["GET", "POST"])
def contact_edit(request, contract_number, role):
    """BILL-6..8: edit (or name) a contract's primary or billing contact. Invalid input and a
    stale form (someone saved in between) answer 422 with the form and its messages."""
    user = request.user
    contract = _visible_contract(request, contract_number)
    context, contact = _contact_context(request, contract, role)
    if not context["can_edit_contacts"]:
        raise PermissionDenied
    form = ContractContactForm.for_contact(contact, data=request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            values = {key: form.cleaned_data[key] for key in ("first_name", "last_name", "email")}
            try:
                if contact is None:
                    saved = add_contract_contact(actor=user, contract=contract, role=role, **values)
                else:
                    saved = update_contract_contact(
                        actor=user, contact=contact, expected_version=form.cleaned_data["version"], **values
                    )
            except ContactChangedError as exc:
                form = _conflict_form(form, exc.current)
            else:
                return _contact_saved(request, contract, saved)
    context.update(
        form=form,
        editing_self=contact is not None and contact.is_person(user) and not is_brand_admin(user),
    )
    return render_htmx(request, "billing/contact_edit.html", context, partial="contact_form", status=status)


def _contact_saved(request, contract: Contract, saved: ContractContact):
    user = request.user
    notice = _("%(role)s saved. It applies at once to your next renewal that has not been invoiced yet.") % {
        "role": saved.get_role_display()
    }
    still_visible = is_brand_admin(user) or Contract.objects.visible_to(user).filter(pk=contract.pk).exists()
    if not still_visible:
        messages.success(request, notice)
        messages.info(
            request,
            _("You are no longer a contact of contract %(number)s, so it is no longer shown to you.")
            % {"number": contract.contract_number},
        )
        target = reverse("billing:contract_detail") if can_see_billing(user) else reverse("hub:home")
        return HttpResponseClientRedirect(target) if request.htmx else redirect(target)
    if request.htmx:
        response = _render_page(request, billing_page(user, contract.contract_number), notice=notice)
        return reswap(retarget(response, "#contract-panel"), "outerHTML")
    messages.success(request, notice)
    return redirect(f"{contract_url(contract.contract_number)}#contact-{saved.role}")


@require_http_methods(["GET", "POST"])
def question_create(request):
    """BILL-5: Contact us — a question about a quote or invoice for Account Services."""
    user = request.user
    require(can_see_billing(user))
    number = request.GET.get("contract") or request.POST.get("contract") or ""
    form = BillingQuestionForm(
        request.POST if request.method == "POST" else None, user=user, initial={"contract": number}
    )
    context = {"current_section": "billing", "form": form, "sent": False}
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            contract = form.cleaned_data["contract"]
            ask_billing_question(
                actor=user, subject=form.cleaned_data["subject"], message=form.cleaned_data["message"],
                contract=contract,
            )
            notice = _("Thank you. Account Services received your question and will reply by email, in English.")
            back = contract_url(contract.contract_number) if contract else reverse("billing:contract_detail")
            if not request.htmx:
                messages.success(request, notice)
                return redirect(back)
            context.update(sent=True, notice=notice, back_url=back)
            status = 200
    context.setdefault(
        "back_url", contract_url(number) if CONTRACT_NUMBER.fullmatch(number) else reverse("billing:contract_detail")
    )
    return render_htmx(request, "billing/question_form.html", context, partial="question", status=status)
