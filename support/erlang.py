"""The queueing model behind the callback wait estimate (CB-2): Erlang C.

Pure: numbers in, numbers out; no ORM, no clock. `support.callbacks.wait_estimates` loads the
inputs.

Erlang C models a queue as M/M/N: requests arrive at random (Poisson, rate λ), N agents each
handle one call at a time, call lengths are exponential with mean AHT (average handle time), and
waiting callers are served first come, first served. The offered load is A = λ · AHT Erlangs.

* Probability that a request waits at all (Erlang C formula), computed through the numerically
  stable Erlang B recursion (no factorials, no overflow at hundreds of agents):

      B(0) = 1,  B(k) = A·B(k-1) / (k + A·B(k-1))
      C(N, A) = N·B(N) / (N − A·(1 − B(N)))          for N > A

* Average speed of answer (the expected wait of a random arrival): ASA = C · AHT / (N − A).
* Service level (share answered within t seconds): SL(t) = 1 − C · e^(−(N − A)·t / AHT).

When N ≤ A the agents cannot keep up: the queue has no steady state and grows for as long as
the load lasts, so C = 1 and ASA is infinite. A live queue then still has an honest answer for
the next caller, because FIFO callers behind you never delay you: with n requests in the system
(being called or waiting) and N agents all busy, one agent frees up on average every AHT / N
seconds, so the (n − N + 1)-th free-up is yours: E[W | n] = max(0, n − N + 1) · AHT / N.

`estimate_wait` reports the larger of the two: the steady-state ASA at the recent arrival rate
(what this queue usually costs at this traffic, which smooths a momentary lull) and the wait
implied by the requests already ahead (which dominates when there is a backlog, and is the only
finite answer when the queue is overloaded).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def erlang_b(agents: int, load: float) -> float:
    """Blocking probability of an M/M/N/N system (Erlang B), by the stable recursion."""
    if agents < 0 or load < 0:
        raise ValueError("agents and load must not be negative")
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def erlang_c(agents: int, load: float) -> float:
    """Probability that an arriving request has to wait (Erlang C). 1.0 when the queue is
    unstable (agents ≤ load, including no agents at all)."""
    if agents < 0 or load < 0:
        raise ValueError("agents and load must not be negative")
    if load == 0:
        return 0.0
    if agents <= load:
        return 1.0
    blocking = erlang_b(agents, load)
    return agents * blocking / (agents - load * (1 - blocking))


def average_speed_of_answer(agents: int, arrivals_per_second: float, handle_seconds: float) -> float:
    """Expected wait of a random arrival, in seconds (ASA). `math.inf` when unstable."""
    if handle_seconds <= 0:
        raise ValueError("handle time must be positive")
    load = arrivals_per_second * handle_seconds
    if load == 0:
        return 0.0
    if agents <= load:
        return math.inf
    return erlang_c(agents, load) * handle_seconds / (agents - load)


def service_level(agents: int, arrivals_per_second: float, handle_seconds: float, target_seconds: float) -> float:
    """Share of requests answered within `target_seconds`. 0.0 when unstable."""
    if handle_seconds <= 0:
        raise ValueError("handle time must be positive")
    load = arrivals_per_second * handle_seconds
    if load == 0:
        return 1.0
    if agents <= load:
        return 0.0
    waits = erlang_c(agents, load)
    return 1 - waits * math.exp(-(agents - load) * target_seconds / handle_seconds)


def backlog_wait(agents: int, in_system: int, handle_seconds: float) -> float:
    """Expected wait of the next FIFO arrival given `in_system` requests already being handled
    or waiting: max(0, n − N + 1) · AHT / N. `math.inf` without agents."""
    if agents <= 0:
        return math.inf
    return max(0, in_system - agents + 1) * handle_seconds / agents


@dataclass(frozen=True)
class WaitEstimate:
    seconds: float  # what we show; math.inf when there is no agent to answer
    agents: int
    load: float  # offered load A in Erlangs
    probability_of_waiting: float
    steady_state_seconds: float  # Erlang C ASA; math.inf when overloaded
    backlog_seconds: float  # from the requests already ahead
    is_overloaded: bool  # agents ≤ load: no steady state, the queue grows

    @property
    def is_known(self) -> bool:
        return math.isfinite(self.seconds)


def estimate_wait(
    *, agents: int, arrivals_per_second: float, handle_seconds: float, in_service: int, queued: int
) -> WaitEstimate:
    """The wait a new request can expect now (see the module docstring for the model)."""
    if handle_seconds <= 0:
        raise ValueError("handle time must be positive")
    load = max(0.0, arrivals_per_second) * handle_seconds
    steady = average_speed_of_answer(agents, max(0.0, arrivals_per_second), handle_seconds) if agents else math.inf
    backlog = backlog_wait(agents, in_service + queued, handle_seconds)
    overloaded = agents <= load
    if agents <= 0:
        seconds = math.inf
    elif overloaded:
        seconds = backlog
    else:
        seconds = max(steady, backlog)
    return WaitEstimate(
        seconds=seconds,
        agents=agents,
        load=load,
        probability_of_waiting=erlang_c(agents, load) if agents else 1.0,
        steady_state_seconds=steady,
        backlog_seconds=backlog,
        is_overloaded=overloaded,
    )
