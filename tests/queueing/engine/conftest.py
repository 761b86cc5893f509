import pytest

from queueing.engine import (
    Channel,
    Complexity,
    CounterState,
    PolicyWeights,
    PriorityClass,
    ServiceProfile,
    ServiceTimeModel,
    WaitingTicket,
)

CATALOG = {
    "cash": ServiceProfile(
        code="cash",
        complexity=Complexity.INSTANT,
        target_minutes=4,
        channels=frozenset({Channel.COUNTER, Channel.KIOSK}),
        queue_prefix="A",
        channel_minutes={Channel.KIOSK: 3},
    ),
    "card": ServiceProfile(
        code="card",
        complexity=Complexity.COMPLEX,
        target_minutes=12,
        channels=frozenset({Channel.COUNTER, Channel.VTM}),
        queue_prefix="B",
    ),
    "wealth": ServiceProfile(
        code="wealth",
        complexity=Complexity.SPECIAL,
        target_minutes=20,
        channels=frozenset({Channel.COUNTER}),
        queue_prefix="W",
    ),
}


@pytest.fixture
def catalog():
    return CATALOG


@pytest.fixture
def service_times():
    return ServiceTimeModel(CATALOG)


@pytest.fixture
def weights():
    return PolicyWeights()


def _make_ticket(id, *, service="cash", arrived_at=0.0, channel=Channel.COUNTER, **kw):
    kw.setdefault("priority_class", PriorityClass.NORMAL)
    kw.setdefault("queue_prefix", CATALOG[service].queue_prefix)
    return WaitingTicket(id=id, service_code=service, channel=channel, arrived_at=arrived_at, **kw)


def _make_counter(id, skills=("cash", "card"), *, kind=Channel.COUNTER, **kw):
    return CounterState(id=id, kind=kind, skills=frozenset(skills), **kw)


@pytest.fixture
def make_ticket():
    return _make_ticket


@pytest.fixture
def make_counter():
    return _make_counter
