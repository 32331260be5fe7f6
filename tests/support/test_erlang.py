"""The Erlang C model behind the callback wait estimate (CB-2), against published values."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from support import erlang

# The textbook example: 100 calls per 30 minutes, 3-minute handle time → A = 10 Erlangs.
ARRIVALS = 100 / (30 * 60)
HANDLE = 180


def test_published_example_100_calls_per_half_hour_3_minutes_14_agents():
    assert erlang.erlang_c(14, ARRIVALS * HANDLE) == pytest.approx(0.174, abs=0.0005)
    assert erlang.average_speed_of_answer(14, ARRIVALS, HANDLE) == pytest.approx(7.8, abs=0.05)
    # Share answered within 20 seconds.
    assert erlang.service_level(14, ARRIVALS, HANDLE, 20) == pytest.approx(0.888, abs=0.001)


@pytest.mark.parametrize(
    ("agents", "waits"),
    # Erlang C tables for 10 Erlangs of offered load.
    [(11, 0.6821), (12, 0.4494), (13, 0.2853), (14, 0.1741), (15, 0.1020)],
)
def test_erlang_c_table_for_ten_erlangs(agents, waits):
    assert erlang.erlang_c(agents, 10) == pytest.approx(waits, abs=0.00015)


def test_closed_forms_of_small_queues():
    # M/M/1: the probability of waiting is the utilisation; ASA = ρ/(1−ρ) · AHT.
    assert erlang.erlang_c(1, 0.75) == pytest.approx(0.75)
    assert erlang.average_speed_of_answer(1, 0.75 / 60, 60) == pytest.approx(0.75 / 0.25 * 60)
    # M/M/2 with one Erlang: 1/3; M/M/3 with two Erlangs: 4/9.
    assert erlang.erlang_c(2, 1) == pytest.approx(1 / 3)
    assert erlang.erlang_c(3, 2) == pytest.approx(4 / 9)
    # Erlang B: two lines, one Erlang → 1/5.
    assert erlang.erlang_b(2, 1) == pytest.approx(0.2)


def test_large_centres_do_not_overflow():
    waits = erlang.erlang_c(500, 480)
    assert 0 < waits < 1
    assert math.isfinite(erlang.average_speed_of_answer(500, 480 / 300, 300))


@pytest.mark.parametrize("agents", [0, 5, 10])
def test_unstable_queues_always_wait_and_have_no_average(agents):
    assert erlang.erlang_c(agents, 10) == 1.0
    assert erlang.average_speed_of_answer(agents, 10 / 180, 180) == math.inf
    assert erlang.service_level(agents, 10 / 180, 180, 20) == 0.0


def test_no_traffic_means_no_wait():
    assert erlang.erlang_c(3, 0) == 0.0
    assert erlang.average_speed_of_answer(3, 0, 300) == 0.0
    assert erlang.service_level(3, 0, 300, 20) == 1.0


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError):
        erlang.erlang_c(-1, 2)
    with pytest.raises(ValueError):
        erlang.average_speed_of_answer(3, 0.1, 0)


@given(load=st.floats(min_value=0.01, max_value=200), extra=st.integers(min_value=1, max_value=60))
def test_more_agents_never_wait_longer(load, extra):
    agents = math.floor(load) + extra
    first = erlang.erlang_c(agents, load)
    assert 0 <= first <= 1
    assert erlang.erlang_c(agents + 1, load) <= first + 1e-12
    assert erlang.average_speed_of_answer(agents + 1, load / 300, 300) <= (
        erlang.average_speed_of_answer(agents, load / 300, 300) + 1e-9
    )


def test_estimate_uses_the_steady_state_when_nobody_is_ahead():
    estimate = erlang.estimate_wait(agents=14, arrivals_per_second=ARRIVALS, handle_seconds=HANDLE,
                                    in_service=3, queued=0)
    assert estimate.seconds == pytest.approx(7.83, abs=0.01)
    assert estimate.load == pytest.approx(10)
    assert estimate.probability_of_waiting == pytest.approx(0.174, abs=0.0005)
    assert not estimate.is_overloaded


def test_estimate_counts_the_requests_ahead_when_there_is_a_backlog():
    # 2 agents busy, 4 waiting: the new caller is answered at the 5th free-up, every 300/2 s.
    estimate = erlang.estimate_wait(agents=2, arrivals_per_second=0.1 / 60, handle_seconds=300,
                                    in_service=2, queued=4)
    assert estimate.backlog_seconds == pytest.approx(5 * 150)
    assert estimate.seconds == pytest.approx(750)


def test_an_overloaded_queue_shows_the_backlog_and_says_so():
    # 3 Erlangs offered to 2 agents: no steady state; the FIFO backlog still gives an answer.
    estimate = erlang.estimate_wait(agents=2, arrivals_per_second=3 / 600, handle_seconds=600,
                                    in_service=2, queued=1)
    assert estimate.is_overloaded
    assert estimate.steady_state_seconds == math.inf
    assert estimate.seconds == pytest.approx(2 * 300)
    assert estimate.is_known


def test_without_agents_the_wait_is_unknown():
    estimate = erlang.estimate_wait(agents=0, arrivals_per_second=0.01, handle_seconds=300, in_service=0, queued=2)
    assert not estimate.is_known
