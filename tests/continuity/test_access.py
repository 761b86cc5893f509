"""Every role against the continuity pages: exactly the expected answer."""

import pytest

from branches.roles import Role as R
from tests.branches.test_access_matrix import ORDER, STAFF

BRANCH_RESPONDERS = {R.LOBBY_MANAGER, R.BRANCH_ADMIN}
CASE_READERS = {
    R.TELLER,
    R.WEALTH_MANAGER,
    R.LOBBY_MANAGER,
    R.BRANCH_ADMIN,
    R.HEAD_OFFICE_ADMIN,
    R.COMPLIANCE_OFFICER,
}


def expect(allowed: set, ok: int = 200, *, anonymous: int = 302, others: int = 403) -> dict:
    return {role: (ok if role in allowed else anonymous if role is None else others) for role in ORDER}


MATRIX = [
    ("get", "/continuity/fraud/", expect(CASE_READERS)),
    ("get", "/continuity/incidents/", expect(CASE_READERS)),
    ("post", "/continuity/incidents/activate/health/", expect(BRANCH_RESPONDERS, 302)),
    ("get", "/continuity/plans/", expect({R.BRANCH_ADMIN, R.HEAD_OFFICE_ADMIN})),
    ("get", "/continuity/plans/fire/", expect({R.HEAD_OFFICE_ADMIN})),
    ("get", "/continuity/fraud/report/", {**expect({R.CUSTOMER}, others=404), **{r: 404 for r in STAFF}}),
]
CASES = [(method, url, role, status) for method, url, statuses in MATRIX for role, status in statuses.items()]


@pytest.mark.parametrize(
    ("method", "url", "role", "status"),
    CASES,
    ids=[f"{m} {u} as {r or 'anonymous'}" for m, u, r, _s in CASES],
)
def test_role_gets_exactly_what_it_should(client, users_by_role, clock, method, url, role, status):
    if role is not None:
        client.force_login(users_by_role[role])
    assert getattr(client, method)(url).status_code == status
