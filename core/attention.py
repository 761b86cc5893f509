"""What needs a staff member now, shown at the top of their home page: each app lists its own in
`attention.py` (`def items(*, user, role, now) -> list[AttentionItem]`); the project's home page
(`branchsvc.attention`) collects them, most urgent first."""

from dataclasses import dataclass

URGENT = "urgent"   # past a deadline, or a customer waiting on this person
DUE = "due"         # a deadline coming, or work waiting in this person's queue
INFO = "info"       # where they stand (their counter, the lobby)

TONE_ORDER = {URGENT: 0, DUE: 1, INFO: 2}


@dataclass(frozen=True)
class AttentionItem:
    label: str        # what it is, translated: "2 parked tickets"
    detail: str       # one line more: which, how late
    url: str          # where to act on it
    action: str       # the link's words: "Open the console"
    tone: str = INFO
