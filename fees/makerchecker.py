"""Fee changes through compliance's maker-checker: the request names the item, its `after` is the
new version; approving publishes it (fees.services.fee_version_publish)."""

from compliance.makerchecker import register_applier
from compliance.models import ChangeKind, ChangeRequest, ChangeStatus


def _snapshot(item) -> dict:
    from fees.services import version_in_effect, version_values

    # Stale if another version was published for the item meanwhile.
    latest = item.versions.order_by("-published_at", "-pk").first()
    return {**version_values(version_in_effect(item)), "latest": latest.pk if latest else None}


def _apply(item, after: dict, *, actor) -> None:
    from fees.services import fee_version_publish

    # The request being approved (already marked approved in this transaction), for the history.
    change = (ChangeRequest.objects.filter(kind=ChangeKind.FEE_CHANGE, target_label="fees.feeitem",
                                           target_id=str(item.pk), status=ChangeStatus.APPROVED)
              .order_by("-decided_at", "-pk").first())
    fee_version_publish(actor=actor, item=item, values=after, change_request_id=change.pk if change else None)


def _validate(item, after: dict) -> None:
    from fees.services import check_values

    check_values(item, after)


register_applier(ChangeKind.FEE_CHANGE, "fees.feeitem", _apply, _snapshot, validate_fn=_validate)
