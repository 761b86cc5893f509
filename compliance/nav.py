from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem

# Role names as strings: compliance may not import branches.roles.
ITEMS = [
    NavItem(label=_("Compliance"), url_name="compliance-dashboard",
            roles={"compliance_officer", "head_office_admin"}),
    NavItem(label=_("Approvals"), url_name="compliance-approvals",
            roles={"compliance_officer", "branch_admin"}),
    NavItem(label=_("My purchases"), url_name="compliance-my-cooling-offs", roles={"customer"}),
]
