"""Compliance permissions per role (merged by branches.roles.sync_role_groups).

Role names are written out because compliance may not import branches."""

_CONTROLS_VIEW = ["compliance.view_ruleevaluation", "compliance.view_changerequest",
                  "compliance.view_rulesetting", "compliance.view_disclosurescript",
                  "compliance.view_disclosurescriptversion", "compliance.view_recordingreference",
                  "compliance.view_coolingoff"]
_CONTROLS_EDIT = ["compliance.add_rulesetting", "compliance.change_rulesetting",
                  "compliance.delete_rulesetting", "compliance.add_disclosurescript",
                  "compliance.change_disclosurescript", "compliance.add_disclosurescriptversion"]
CHECKER = "compliance.approve_changerequest"

ROLE_PERMISSIONS = {
    "compliance_officer": [*_CONTROLS_VIEW, *_CONTROLS_EDIT, CHECKER],
    "head_office_admin": [*_CONTROLS_VIEW],
    # the branch supervisor approves customer-information changes of their own branch
    "branch_admin": [CHECKER, "compliance.view_changerequest"],
}
