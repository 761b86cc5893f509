"""Who may see the compliance pages and approvals, role by role."""

import pytest

from branches.roles import Role

pytestmark = pytest.mark.django_db

COMPLIANCE_PAGES = ["/compliance/", "/compliance/evidence/", "/compliance/rules/"]
SEE_COMPLIANCE = {Role.COMPLIANCE_OFFICER, Role.HEAD_OFFICE_ADMIN}
SEE_APPROVALS = {Role.COMPLIANCE_OFFICER, Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN}


@pytest.mark.parametrize("url", COMPLIANCE_PAGES)
def test_compliance_pages_are_for_compliance_officers_and_head_office(url, users_by_role,
                                                                      client_of):
    for role, user in users_by_role.items():
        response = client_of(user).get(url)
        if user is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif role in SEE_COMPLIANCE:
            assert response.status_code == 200, role
        else:
            assert response.status_code == 403, role


def test_approvals_are_listed_for_holders_of_the_checker_role(users_by_role, client_of):
    for role, user in users_by_role.items():
        if user is None:
            continue
        status = client_of(user).get("/compliance/approvals/").status_code
        assert status == (200 if role in SEE_APPROVALS else 403), role


def test_only_compliance_staff_may_export_evidence(users_by_role, client_of):
    for role, user in users_by_role.items():
        status = client_of(user).post("/api/compliance/evidence/export/", {},
                                      content_type="application/json").status_code
        expected = 401 if user is None else 200 if role in SEE_COMPLIANCE else 403
        assert status == expected, role


def test_head_office_admin_sees_but_cannot_approve(head_office_admin, teller, customer, client_of):
    created = client_of(teller).post("/api/compliance/change-requests/new/", {
        "kind": "customer_info", "target_label": "customers.customer",
        "target_id": str(customer.pk), "after": {"email": "new@example.com"}},
        content_type="application/json")
    response = client_of(head_office_admin).post(
        f"/api/compliance/change-requests/{created.json()['id']}/approve/")
    assert response.status_code == 403


def test_pages_speak_chinese_first_and_english_on_request(client_of, compliance_officer):
    client = client_of(compliance_officer)
    assert "合规概览" in client.get("/compliance/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/compliance/"})
    assert "Compliance dashboard" in client.get("/compliance/").content.decode()
