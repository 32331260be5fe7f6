"""Benchmark of the chat window's poll (SUP-7), run by `make bench` (not by `make test`).

The customer's page asks every 2 seconds for what is new after its cursor. This measures one poll,
with nothing new (204) and with one new message (200), on a chat of 1 message and on one of
BENCH_CHAT_MESSAGES (default 5 000) — on a ticket table that also holds as many other events: the
cost stays flat because the poll reads the ticket's event index from the cursor on.
"""

import os
import statistics
import time
from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from support.models import ProductArea, SupportAgent, TicketEvent
from support.services import start_chat
from tests.factories import StaffUserFactory

MESSAGES = int(os.environ.get("BENCH_CHAT_MESSAGES", "5000"))
POLLS = 200
HTMX = {"HTTP_HX_REQUEST": "true"}
IN_HOURS = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)  # Tuesday 11:00 in Denver


def _chat(customer, length):
    with time_machine.travel(IN_HOURS, tick=False):
        chat = start_chat(customer=customer, area=ProductArea.objects.get(slug="surveys"), language="en",
                          message="First message")
    TicketEvent.objects.bulk_create(
        TicketEvent(ticket_id=chat.ticket_id, kind=TicketEvent.Kind.CHAT_MESSAGE, body=f"Message {n}",
                    author=customer, data={"chat": str(chat.public_id)}, created_at=IN_HOURS)
        for n in range(length - 1)
    )
    return chat


def _poll(client, chat, after):
    url = reverse("support:chat_messages", args=[chat.public_id])
    timings = []
    for _ in range(POLLS):
        started = time.perf_counter()
        response = client.get(url, {"after": after}, **HTMX)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, {"after": after}, **HTMX)
    return response.status_code, statistics.median(timings), statistics.quantiles(timings, n=20)[-1], len(queries)


@pytest.mark.django_db
def test_a_poll_costs_the_same_on_a_short_and_a_long_chat(client_for, cast):
    SupportAgent.objects.create(user=StaffUserFactory(), languages=["en"], is_online_for_chat=True)
    short = _chat(cast.standard_user, 1)
    long = _chat(cast.brand_admin, MESSAGES)
    rows = []
    for label, chat, customer in (("1 message", short, cast.standard_user),
                                  (f"{MESSAGES} messages", long, cast.brand_admin)):
        client = client_for(customer)
        last = TicketEvent.objects.filter(ticket_id=chat.ticket_id).order_by("-pk").values_list("pk", flat=True)[0]
        for case, after in (("nothing new", last), ("one new", last - 1)):
            status, median, p95, queries = _poll(client, chat, after)
            rows.append((label, case, status, median, p95, queries))
    print("\nchat poll (ms per request through the Django test client):")
    for label, case, status, median, p95, queries in rows:
        print(f"  {label:>16} · {case:<11} → {status}  median {median:6.2f}  p95 {p95:6.2f}  {queries} queries")
    assert {row[5] for row in rows if row[1] == "nothing new"} == {rows[0][5]}
    assert {row[5] for row in rows if row[1] == "one new"} == {rows[1][5]}
