"""Renewals demo data. Contract 40018232 (Northwind, renewing in 100 days: inside the 120-day
window) has `brand.admin` as primary and `billing.contact` as billing contact, so both see "Your
renewal is coming up"; last year's renewal of it, invoiced, holds the addresses on file that this
year's wizard offers to confirm. Idempotent; dates relative to the contract's current end date."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from billing.models import Contract, add_months

from .models import Renewal

ADDRESSES = {
    "shipping_company": "Northwind Analytics GmbH", "shipping_street": "Am Sandtorkai 12",
    "shipping_postal_code": "20457", "shipping_city": "Hamburg", "shipping_country": "DE",
    "billing_company": "Northwind Analytics GmbH — Accounts Payable", "billing_street": "Postfach 11 02 33",
    "billing_postal_code": "20402", "billing_city": "Hamburg", "billing_country": "DE",
}


@transaction.atomic
def seed(out):
    contract = Contract.objects.filter(contract_number="40018232").first()
    if contract is None:
        return
    last_cycle = contract.start_date - timedelta(days=1)
    submitted = timezone.now() - timedelta(days=(contract.end_date - add_months(contract.end_date, -12)).days + 80)
    Renewal.objects.update_or_create(
        contract=contract, cycle=last_cycle,
        defaults={
            "status": Renewal.Status.INVOICED, "intent": Renewal.Intent.RENEW, "completed_steps": 7,
            "no_po_needed": True, "no_instructions": True,
            "shipping_address_action": "confirmed", "billing_address_action": "confirmed",
            "submitted_at": submitted, "invoiced_at": submitted + timedelta(days=20),
            "invoice_email": "priya.nair@northwind.example", "invoice_send_date": last_cycle - timedelta(days=30),
            **ADDRESSES,
        },
    )
    out.write("renewals: last year's renewal of 40018232 (addresses on file)")
