"""Quality roles. They are Django groups like every role (branches.roles); a quality inspector is a
head-office staff member who also holds the group, a mystery shopper an external account that holds
only this group (no staff profile): it opens its own visits and nothing else in the platform.

Branch admins (branch managers) inspect their own branch and head-office admins every branch
without the group; head office edits the checklists."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QualityRole(models.TextChoices):
    INSPECTOR = "quality_inspector", _("Quality inspector")
    MYSTERY_SHOPPER = "mystery_shopper", _("Mystery shopper")


_VIEW = [
    "quality.view_inspection",
    "quality.view_answer",
    "quality.view_correctiveaction",
    "quality.view_checklist",
    "quality.view_checklistversion",
    "quality.view_checklistitem",
]

ROLE_PERMISSIONS = {
    QualityRole.INSPECTOR: [*_VIEW],
    QualityRole.MYSTERY_SHOPPER: [],
    "head_office_admin": [*_VIEW],
    "branch_admin": ["quality.view_inspection", "quality.view_correctiveaction"],
}
