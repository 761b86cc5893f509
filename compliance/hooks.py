"""Callback registries through which higher apps feed the compliance controls.

Compliance is the lowest app and imports none of the others; they register here instead,
usually from their AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ServiceRecordInfo:
    """A finished (or started) piece of work that compliance rules apply to."""

    ref: str
    branch_code: str
    service_code: str
    finished_at: datetime | None
    product_code: str = ""
    product_risk_level: str | None = None
    customer_id: int | None = None
    staff_id: int | None = None
    staff_name: str = ""
    summary: str = ""


@dataclass(frozen=True)
class EvidenceFile:
    name: str  # path inside the bundle, e.g. "signatures/receipt-12.png"
    content: bytes
    content_type: str = "application/octet-stream"


ServiceRecordSource = Callable[..., Iterable[ServiceRecordInfo]]
EvidenceProvider = Callable[[str], Iterable[EvidenceFile]]

_service_record_sources: list[ServiceRecordSource] = []
_evidence_providers: list[EvidenceProvider] = []
_cooling_off_cancelled: list[Callable] = []
_customer_resolver: list[Callable] = []
_branch_scope: list[Callable] = []
_recording_details: list[Callable] = []


def _add(registry: list, fn: Callable) -> Callable:
    if fn not in registry:
        registry.append(fn)
    return fn


def register_service_record_source(fn: ServiceRecordSource) -> ServiceRecordSource:
    """fn(*, start, end, branch_codes: set[str] | None) -> Iterable[ServiceRecordInfo]"""
    return _add(_service_record_sources, fn)


def register_evidence_provider(fn: EvidenceProvider) -> EvidenceProvider:
    """fn(service_record_ref) -> Iterable[EvidenceFile] (signature images, receipts, ...)"""
    return _add(_evidence_providers, fn)


def on_cooling_off_cancelled(fn: Callable) -> Callable:
    """fn(cooling_off) runs inside the cancelling transaction; reverse the sale there."""
    return _add(_cooling_off_cancelled, fn)


def register_customer_resolver(fn: Callable) -> Callable:
    """fn(user) -> customer id of a signed-in customer, or None."""
    return _add(_customer_resolver, fn)


def register_branch_scope(fn: Callable) -> Callable:
    """fn(user) -> set of branch codes the staff member may see, or None for every branch."""
    return _add(_branch_scope, fn)


def register_recording_details(fn: Callable) -> Callable:
    """fn(recording_id) -> dict of what the evidence export lists about a recording the app
    stores itself (hash, size, retention, download link), or None when it is not one of its own."""
    return _add(_recording_details, fn)


def recording_details(recording_id: str) -> dict:
    for provider in _recording_details:
        details = provider(recording_id)
        if details is not None:
            return details
    return {}


def service_records(*, start, end, branch_codes=None) -> list[ServiceRecordInfo]:
    return [
        record
        for source in _service_record_sources
        for record in source(start=start, end=end, branch_codes=branch_codes)
    ]


def evidence_files(service_record_ref: str) -> list[EvidenceFile]:
    return [file for provider in _evidence_providers for file in provider(service_record_ref)]


def cooling_off_cancelled(cooling_off) -> None:
    for handler in _cooling_off_cancelled:
        handler(cooling_off)


def customer_id_for(user) -> int | None:
    for resolver in _customer_resolver:
        customer_id = resolver(user)
        if customer_id is not None:
            return customer_id
    return None


def branch_codes_for(user) -> set[str] | None:
    """None means every branch (head office, compliance, or no scope registered)."""
    if not _branch_scope:
        return None
    scopes = [scope(user) for scope in _branch_scope]
    if any(scope is None for scope in scopes):
        return None
    return set().union(*scopes)
