"""Every role against every foundation endpoint and page: exactly the expected answer."""

import pytest

from branches.roles import Role
from tests.factories import make_customer, make_staff

R = Role
STAFF = {R.TELLER, R.WEALTH_MANAGER, R.LOBBY_MANAGER, R.BRANCH_ADMIN, R.COMPLIANCE_OFFICER,
         R.DEPARTMENT_STAFF, R.DEPARTMENT_HEAD, R.HEAD_OFFICE_ADMIN}
EVERYONE = STAFF | {R.CUSTOMER, None}
# A fixed order, so parallel test workers collect the same cases.
ORDER = [*sorted(STAFF), R.CUSTOMER, None]


def expect(allowed: set, ok: int, *, anonymous: int = 401, others: int = 403) -> dict:
    return {role: (ok if role in allowed else anonymous if role is None else others)
            for role in ORDER}


# (method, url template, body, expected status per role)
MATRIX = [
    ("get", "/api/branches/", None, expect(EVERYONE, 200)),
    ("get", "/api/service-types/", None, expect(EVERYONE, 200)),
    ("get", "/api/customers/", None, expect(STAFF, 200)),
    ("get", "/api/customers/{customer}/", None, expect(STAFF, 200)),
    ("post", "/api/customers/{customer}/reveal/", {"field": "phone", "reason": "核实身份需要"},
     expect({R.COMPLIANCE_OFFICER}, 200)),
    ("get", "/api/me/", None, expect({R.CUSTOMER}, 200)),
    ("get", "/api/audit/events/", None, expect({R.COMPLIANCE_OFFICER, R.HEAD_OFFICE_ADMIN}, 200)),
    ("get", "/api/audit/verify/", None, expect({R.COMPLIANCE_OFFICER, R.HEAD_OFFICE_ADMIN}, 200)),
    ("get", "/api/branches/{branch}/devices/", None,
     expect({R.BRANCH_ADMIN, R.HEAD_OFFICE_ADMIN}, 200)),
    ("post", "/api/branches/{branch}/devices/", {"kind": "kiosk", "name": "Kiosk 9"},
     expect({R.BRANCH_ADMIN, R.HEAD_OFFICE_ADMIN}, 201)),
    ("get", "/staff/", None, {**expect(STAFF, 200, anonymous=302), R.CUSTOMER: 302}),
    ("get", "/branches/{branch}/devices/", None,
     expect({R.BRANCH_ADMIN, R.HEAD_OFFICE_ADMIN}, 200, anonymous=302)),
]
CASES = [(method, url, body, role, status) for method, url, body, statuses in MATRIX
         for role, status in statuses.items()]


@pytest.mark.parametrize(("method", "url", "body", "role", "status"), CASES,
                         ids=[f"{m} {u} as {r or 'anonymous'}" for m, u, _b, r, _s in CASES])
def test_role_gets_exactly_what_it_should(client, users_by_role, branch, method, url, body, role,
                                          status):
    customer = make_customer(branch=branch)
    if role is not None:
        client.force_login(users_by_role[role])
    target = url.format(customer=customer.pk, branch=branch.code)
    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    response = getattr(client, method)(target, **kwargs)
    assert response.status_code == status, response.content[:300]


@pytest.mark.parametrize("role", [R.TELLER, R.LOBBY_MANAGER, R.BRANCH_ADMIN, R.WEALTH_MANAGER])
def test_branch_staff_get_404_for_another_branch(client, branch, other_branch, role):
    outsider = make_staff(role, other_branch)
    customer = make_customer(branch=branch)
    client.force_login(outsider)
    assert client.get(f"/api/customers/{customer.pk}/").status_code == 404
    if role == R.BRANCH_ADMIN:
        assert client.get(f"/api/branches/{branch.code}/devices/").status_code == 404
        assert client.get(f"/branches/{branch.code}/devices/").status_code == 404


def test_compliance_officer_may_look_but_not_operate_a_branch(client, branch, compliance_officer):
    from django.core.exceptions import PermissionDenied

    from branches.access import branch_for_user

    assert branch_for_user(compliance_officer, branch.code) == branch
    with pytest.raises(PermissionDenied):
        branch_for_user(compliance_officer, branch.code, write=True)
