"""Read-only views of kiosk data for other screens."""

from django.utils.translation import gettext as _

from kiosk.models import SelfServiceRecord


def self_service_items(customer, *, limit: int = 5) -> list[dict]:
    """The customer's recent self-service at kiosks, for the 360-degree view (counter's panel).
    Items follow counter's hook format: {"when", "label", "url"}; nothing personal beyond the
    service name and the branch."""
    records = (SelfServiceRecord.objects.filter(customer=customer)
               .select_related("service_type", "branch", "ticket")[:limit])
    return [{"when": record.at,
             "label": " · ".join(part for part in [
                 _("Kiosk"), record.get_kind_display(),
                 record.service_type.name if record.service_type_id else "",
                 record.ticket.number if record.ticket_id else "", record.branch.name] if part),
             "url": ""}
            for record in records]
