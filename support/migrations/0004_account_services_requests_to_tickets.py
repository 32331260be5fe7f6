"""SUP-12: Account Services requests recorded before tickets existed (PRO-4 intake, BILL-5 Contact
us) become tickets in the Account Services queue, keeping their id, dates and status."""

from django.db import migrations

STATUS = {"new": "new", "in_progress": "open", "resolved": "solved"}


def forwards(apps, schema_editor):
    Request = apps.get_model("support", "AccountServicesRequest")
    Ticket = apps.get_model("support", "Ticket")
    TicketEvent = apps.get_model("support", "TicketEvent")
    HistoricalTicket = apps.get_model("support", "HistoricalTicket")
    for request in Request.objects.order_by("created_at", "pk").iterator():
        if Ticket.objects.filter(public_id=request.public_id).exists():
            continue
        status = STATUS.get(request.status, "open")
        ticket = Ticket.objects.create(
            public_id=request.public_id,
            organization_id=request.organization_id,
            requester_id=request.requester_id,
            channel="email",
            queue="account_services",
            language="en",
            subject=request.subject,
            description=request.message,
            status=status,
            category=request.category,
            source=request.source,
            contract_number=request.contract_number,
            created_at=request.created_at,
            last_activity_at=request.updated_at,
            solved_at=request.updated_at if status == "solved" else None,
        )
        TicketEvent.objects.create(
            ticket=ticket, kind="created", via="web", author_id=request.requester_id, body=request.message,
            to_status="new", created_at=request.created_at,
        )
        if status != "new":
            TicketEvent.objects.create(
                ticket=ticket, kind="status_changed", via="system", from_status="new", to_status=status,
                created_at=request.updated_at,
            )
        historical = {field.attname for field in HistoricalTicket._meta.concrete_fields}
        HistoricalTicket.objects.create(
            **{f.attname: getattr(ticket, f.attname) for f in Ticket._meta.concrete_fields if f.attname in historical},
            history_date=request.updated_at, history_type="+",
            history_change_reason="Migrated from an Account Services request",
        )


class Migration(migrations.Migration):
    dependencies = [("support", "0003_seed_product_areas_and_hours")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
