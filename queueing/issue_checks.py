"""Checks a higher app runs before a ticket is issued (an emergency plan pausing or limiting
ticketing, in continuity). Queueing cannot import them, so they register here:

    from queueing.issue_checks import register_issue_check
    register_issue_check(fn)   # fn(*, branch, source) -> a refusal to show, or None
"""

from collections.abc import Callable

IssueCheck = Callable[..., "str | None"]
_checks: list[IssueCheck] = []


def register_issue_check(fn: IssueCheck) -> IssueCheck:
    if fn not in _checks:
        _checks.append(fn)
    return fn


def issue_refusal(*, branch, source: str) -> str | None:
    """The first refusal any registered check gives, or None."""
    for check in list(_checks):
        refusal = check(branch=branch, source=source)
        if refusal:
            return refusal
    return None
