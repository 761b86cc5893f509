"""The console's measures: what a teller achieved today, and what pre-filled forms save."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Avg, Count, Q

from core.i18n import english
from counter.models import RecordStatus, ServiceRecord


@dataclass(frozen=True)
class ServiceMean:
    service: str
    served: int
    mean_seconds: int

    @property
    def mean_minutes(self) -> float:
        return round(self.mean_seconds / 60, 1)


@dataclass(frozen=True)
class TellerDay:
    served: int
    by_service: list[ServiceMean]
    forms_checked: int  # every pre-filled field confirmed or corrected by the teller
    forms_without_correction: int
    forms_overridden: int  # a supervisor let some fields through unchecked
    forms_unverified: int  # finished (not done) with fields nobody checked

    @property
    def share_without_correction(self) -> float | None:
        return self.forms_without_correction / self.forms_checked if self.forms_checked else None


def teller_day(user, day: date) -> TellerDay:
    finished = ServiceRecord.objects.filter(teller=user, status=RecordStatus.FINISHED, finished_at__date=day)
    rows = (
        finished.values("service_type__code", "service_type__name_zh_hans", "service_type__name_en")
        .annotate(served=Count("id"), mean=Avg("handling_seconds"))
        .order_by("-served")
    )
    checked = Q(fields_overridden=0, fields_unverified=0)
    forms = finished.filter(form__isnull=False).aggregate(
        checked=Count("id", filter=checked),
        clean=Count("id", filter=checked & Q(corrections=0)),
        overridden=Count("id", filter=Q(fields_overridden__gt=0)),
        unverified=Count("id", filter=Q(fields_overridden=0, fields_unverified__gt=0)),
    )
    by_service = [ServiceMean(_service_name(row), row["served"], int(row["mean"] or 0)) for row in rows]
    return TellerDay(
        served=sum(s.served for s in by_service),
        by_service=by_service,
        forms_checked=forms["checked"],
        forms_without_correction=forms["clean"],
        forms_overridden=forms["overridden"],
        forms_unverified=forms["unverified"],
    )


def _service_name(row: dict) -> str:
    if english() and row["service_type__name_en"]:
        return row["service_type__name_en"]
    return row["service_type__name_zh_hans"]


def prefill_comparison(records) -> dict:
    """Mean handling time per service with and without a pre-filled form."""
    rows = (
        records.filter(status=RecordStatus.FINISHED)
        .values("service_type__code", "had_prefilled_form")
        .annotate(n=Count("id"), mean=Avg("handling_seconds"))
    )
    by_service: dict[str, dict] = {}
    for row in rows:
        key = "with_prefilled" if row["had_prefilled_form"] else "without_prefilled"
        by_service.setdefault(row["service_type__code"], {})[key] = {
            "records": row["n"],
            "mean_handling_seconds": round(row["mean"] or 0, 1),
        }
    for entry in by_service.values():
        if "with_prefilled" in entry and "without_prefilled" in entry:
            saved = (
                entry["without_prefilled"]["mean_handling_seconds"]
                - entry["with_prefilled"]["mean_handling_seconds"]
            )
            entry["seconds_saved"] = round(saved, 1)
    return by_service
