from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContinuityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "continuity"
    verbose_name = _("Service continuity")

    def ready(self):
        # Continuity sits above knowledge: it registers itself on the assistant's hand-off hook, so
        # "my card was just skimmed" also raises a card freeze and a dispute hold, not only a work order.
        from continuity.services import fraud_case_from_handoff
        from knowledge.hooks import register_handoff

        register_handoff(fraud_case_from_handoff)

        # An active emergency plan pauses or limits ticketing inside queueing's ticket_issue.
        from continuity.emergency import ticketing_refusal
        from queueing.issue_checks import register_issue_check

        register_issue_check(ticketing_refusal)

        # A paper ledger slip is approved through compliance's maker-checker: register its applier.
        import continuity.ledger_review  # noqa: F401
