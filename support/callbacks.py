"""The callback queue's reads (CB-2, CB-3, CB-4): estimated waits per support language and product
area, a callback's place in its queue, and when English is worth offering.

Inputs come from the database in a fixed number of queries, whatever the queue's length — the
agents who speak the languages (with their shifts and time off), one aggregate over the live queue and the
recent requests, one over the recently completed calls — and go through the Erlang C model in
`support.erlang` (the model is documented there and in the README)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone

from . import erlang
from .choices import ENGLISH
from .models import Callback, ProductArea
from .selectors import agents_with_shifts, shift_intervals

# How far ahead a queue without an agent on shift looks for the next one.
SHIFT_HORIZON = timedelta(days=7)


@dataclass(frozen=True)
class QueueWait:
    """The wait a new callback can expect in one language for one area, and why."""

    language: str
    seconds: float  # math.inf: nobody speaking the language works within the horizon
    queued: int
    in_service: int
    agents_on_shift: int
    handle_seconds: float
    arrivals_per_hour: float
    estimate: erlang.WaitEstimate | None = None
    next_shift_at: datetime | None = None

    @property
    def is_known(self):
        return math.isfinite(self.seconds)

    @property
    def minutes(self):
        """Rounded up to whole minutes (a wait is never shorter than we say)."""
        return math.ceil(self.seconds / 60) if self.is_known else None

    @property
    def is_overloaded(self):
        return self.estimate is not None and self.estimate.is_overloaded


def _duration():
    return ExpressionWrapper(F("ended_at") - F("started_at"), output_field=DurationField())


def _queue_counts(area: ProductArea, languages, since: datetime) -> dict[str, dict]:
    rows = (
        Callback.objects.filter(product_area=area, language__in=list(languages))
        .filter(Q(status__in=Callback.ACTIVE) | Q(requested_at__gte=since))
        .values("language")
        .annotate(
            queued=Count("pk", filter=Q(status=Callback.Status.QUEUED)),
            in_service=Count("pk", filter=Q(status=Callback.Status.IN_PROGRESS)),
            arrivals=Count("pk", filter=Q(requested_at__gte=since)),
        )
    )
    return {row["language"]: row for row in rows}


def _handle_times(area: ProductArea, languages, now: datetime) -> dict[str, float]:
    """Average handle time per language: this language and area's recent completed calls when
    there are enough, else the whole queue's, else the configured default."""
    since = now - timedelta(days=settings.HUB_CALLBACK_HANDLE_TIME_DAYS)
    aggregates = {"all_avg": Avg(_duration()), "all_n": Count("pk")}
    for index, language in enumerate(languages):
        match = Q(language=language, product_area=area)
        aggregates[f"avg_{index}"] = Avg(_duration(), filter=match)
        aggregates[f"n_{index}"] = Count("pk", filter=match)
    row = Callback.objects.filter(
        status=Callback.Status.COMPLETED, ended_at__gte=since, started_at__isnull=False,
    ).aggregate(**aggregates)
    minimum = settings.HUB_CALLBACK_HANDLE_TIME_MIN_CALLS
    default = settings.HUB_CALLBACK_DEFAULT_HANDLE_MINUTES * 60
    overall = row["all_avg"].total_seconds() if row["all_n"] >= minimum and row["all_avg"] else default
    result = {}
    for index, language in enumerate(languages):
        average = row[f"avg_{index}"]
        result[language] = average.total_seconds() if row[f"n_{index}"] >= minimum and average else overall
        result[language] = max(result[language], 1.0)
    return result


def _intervals(agent, now: datetime):
    return shift_intervals(agent, now, now + SHIFT_HORIZON)


def _next_shift(intervals_by_agent, now: datetime) -> tuple[datetime | None, int]:
    """The first moment after `now` an agent starts, and how many are on shift then."""
    starts = [opens for intervals in intervals_by_agent for opens, _closes in intervals if opens > now]
    if not starts:
        return None, 0
    first = min(starts)
    on_shift = sum(1 for intervals in intervals_by_agent if any(o <= first < c for o, c in intervals))
    return first, on_shift


def wait_for(
    *, language: str, now: datetime, agents, counts: dict, handle_seconds: float, ahead: int | None = None,
) -> QueueWait:
    """One language's wait from loaded inputs. `ahead`: the requests ahead of a callback already
    in the queue (None: a new request, behind everyone waiting)."""
    speakers = [agent for agent in agents if language in agent.languages]
    intervals = [_intervals(agent, now) for agent in speakers]
    on_shift = sum(1 for spans in intervals if any(o <= now < c for o, c in spans))
    queued = counts.get("queued", 0) if ahead is None else ahead
    in_service = counts.get("in_service", 0)
    window = settings.HUB_CALLBACK_ARRIVAL_WINDOW_MINUTES
    arrivals_per_hour = counts.get("arrivals", 0) * 60 / window
    common = dict(language=language, queued=queued, in_service=in_service, handle_seconds=handle_seconds,
                  arrivals_per_hour=arrivals_per_hour)
    if on_shift:
        estimate = erlang.estimate_wait(
            agents=on_shift, arrivals_per_second=arrivals_per_hour / 3600, handle_seconds=handle_seconds,
            in_service=in_service, queued=queued,
        )
        return QueueWait(seconds=estimate.seconds, agents_on_shift=on_shift, estimate=estimate, **common)
    # Nobody on shift: the queue waits for the next shift, then drains FIFO with the agents who
    # start then (calls "in progress" will have ended by then).
    next_at, starting = _next_shift(intervals, now)
    if next_at is None:
        return QueueWait(seconds=math.inf, agents_on_shift=0, **common)
    seconds = (next_at - now).total_seconds() + erlang.backlog_wait(starting, queued, handle_seconds)
    return QueueWait(seconds=seconds, agents_on_shift=0, next_shift_at=next_at, **common)


def wait_estimates(area: ProductArea, languages, now: datetime | None = None) -> dict[str, QueueWait]:
    """The wait a new callback can expect now, per language, for `area` (5 queries however many
    languages, agents, days off and callbacks)."""
    now = now or timezone.now()
    languages = list(dict.fromkeys(languages))
    agents = agents_with_shifts(languages=languages, area=area, since=now)
    since = now - timedelta(minutes=settings.HUB_CALLBACK_ARRIVAL_WINDOW_MINUTES)
    counts = _queue_counts(area, languages, since)
    handle = _handle_times(area, languages, now)
    return {
        language: wait_for(language=language, now=now, agents=agents, counts=counts.get(language, {}),
                           handle_seconds=handle[language])
        for language in languages
    }


def queue_position(callback: Callback) -> int | None:
    """1 for the next callback to be called in its language and area; None once it is called."""
    if not callback.is_waiting:
        return None
    ahead = (
        Callback.objects.waiting()
        .filter(language=callback.language, product_area_id=callback.product_area_id)
        .filter(Q(requested_at__lt=callback.requested_at) | Q(requested_at=callback.requested_at, pk__lt=callback.pk))
        .count()
    )
    return ahead + 1


def callback_wait(callback: Callback, position: int, now: datetime | None = None) -> QueueWait:
    """The remaining wait of a callback at `position` in its queue."""
    now = now or timezone.now()
    area = callback.product_area
    agents = agents_with_shifts(languages=[callback.language], area=area, since=now)
    since = now - timedelta(minutes=settings.HUB_CALLBACK_ARRIVAL_WINDOW_MINUTES)
    counts = _queue_counts(area, [callback.language], since).get(callback.language, {})
    handle = _handle_times(area, [callback.language], now)[callback.language]
    # Those ahead in the queue, no one behind: FIFO callers behind never delay this one.
    return wait_for(language=callback.language, now=now, agents=agents, counts=counts, handle_seconds=handle,
                    ahead=position - 1)


def offers_english(chosen: QueueWait, english: QueueWait | None) -> bool:
    """CB-3: English is much faster — at least the configured ratio and the configured minutes."""
    if chosen.language == ENGLISH or english is None or not english.is_known:
        return False
    if not chosen.is_known:
        return True
    ratio = settings.HUB_CALLBACK_ENGLISH_OFFER_RATIO
    minimum = settings.HUB_CALLBACK_ENGLISH_OFFER_MIN_MINUTES * 60
    return chosen.seconds >= ratio * english.seconds and chosen.seconds - english.seconds >= minimum
