"""The consent ledger for staff: which entries belong to an address or an organization, and the
CSV export (one row per change: when, address, category, old → new, source, who)."""

import csv
from datetime import UTC

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.http import StreamingHttpResponse

from ..models import ConsentEvent
from .selectors import normalize_email

CSV_HEADER = [
    "changed_at_utc", "recorded_at_utc", "email", "category", "category_name",
    "old_value", "new_value", "source", "changed_by",
]


def organization_addresses(organization):
    """The lower-cased addresses of an organization's user accounts (a subquery)."""
    return (
        get_user_model().objects.filter(organization=organization).exclude(email="")
        .annotate(email_lower=Lower("email")).values("email_lower")
    )


def ledger_for_address(email: str):
    """Every ledger entry of one address, oldest first."""
    return ConsentEvent.objects.filter(subscriber__email=normalize_email(email)).order_by("occurred_at", "pk")


def ledger_for_organization(organization):
    """Every ledger entry of the addresses the organization's users have, oldest first."""
    return ConsentEvent.objects.filter(subscriber__email__in=organization_addresses(organization)).order_by(
        "occurred_at", "pk"
    )


def _value(value):
    if value is None:
        return "default"
    return "subscribed" if value else "unsubscribed"


def _cell(value):
    """Spreadsheets run cells that start with =, +, - or @ as formulas; never let data do that."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value):
        return value


def _rows(queryset):
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    rows = queryset.select_related("subscriber", "category").values_list(
        "occurred_at", "recorded_at", "subscriber__email", "category__key", "category__name",
        "old_value", "new_value", "source", "actor_label",
    )
    for occurred_at, recorded_at, email, key, name, old, new, source, actor in rows.iterator(chunk_size=2000):
        yield writer.writerow([_cell(item) for item in (
            occurred_at.astimezone(UTC).isoformat(), recorded_at.astimezone(UTC).isoformat(),
            email, key, name, _value(old), _value(new), source, actor,
        )])


def csv_response(queryset, filename: str) -> StreamingHttpResponse:
    """Stream the entries as CSV, in chunks, whatever their number."""
    response = StreamingHttpResponse(_rows(queryset), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
