"""Wayfinding: the branch admin's writes to the floor plan (upload, place, remove markers; each
audited) and what the customer-facing pages read: where to go for a ticket, in words and as the
marker to highlight. Pages of higher apps pass their objects in (a ticket is read by duck typing:
``branch``, ``counter``, ``queue``), so this low layer imports none of them."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from branches.floorplans import FloorMarker, FloorPlan
from branches.models import Branch, ServicePoint, Zone
from branches.svg_sanitize import sanitize_svg
from compliance.audit import audit_record

MARKER_FIELDS = ("kind", "zone_id", "service_point_id", "name_zh_hans", "name_en", "direction_zh_hans",
                 "direction_en", "x", "y")


def _marker_snapshot(marker: FloorMarker) -> dict:
    return {name: getattr(marker, name) for name in MARKER_FIELDS}


def floor_plan_upload(*, branch: Branch, data: bytes | str, actor) -> tuple[FloorPlan, list[str]]:
    """Replace the drawing (markers stay where they are). Returns the plan and what the sanitizer
    removed, for the admin to see."""
    clean = sanitize_svg(data)
    with transaction.atomic():
        plan = FloorPlan.objects.select_for_update().filter(branch=branch).first()
        before = {"view_box": plan.view_box, "bytes": len(plan.svg)} if plan else None
        if plan is None:
            plan = FloorPlan(branch=branch)
        plan.svg, plan.view_box, plan.updated_by = clean.markup, clean.view_box, actor
        plan.save()
        outside = [m for m in plan.markers.all() if not _inside(plan, m.x, m.y)]
        if outside:
            raise ValidationError(_("Markers %(names)s would lie outside the new drawing; move them first.")
                                  % {"names": ", ".join(m.name for m in outside)})
        audit_record(actor=actor, action="branches.floor_plan.upload", obj=plan, branch=branch, before=before,
                     after={"view_box": plan.view_box, "bytes": len(plan.svg), "removed": clean.removed})
    return plan, clean.removed


def _inside(plan: FloorPlan, x: float, y: float) -> bool:
    left, top, width, height = plan.size
    return left <= x <= left + width and top <= y <= top + height


def _check_marker(plan: FloorPlan, marker: FloorMarker) -> None:
    errors = {}
    if marker.kind == FloorMarker.Kind.ZONE:
        if marker.zone is None or marker.zone.branch_id != plan.branch_id:
            errors["zone"] = _("Choose a zone of this branch.")
        marker.service_point = None
    elif marker.kind in (FloorMarker.Kind.COUNTER, FloorMarker.Kind.KIOSK):
        counter = marker.kind == FloorMarker.Kind.COUNTER
        wanted = [ServicePoint.Kind.COUNTER, ServicePoint.Kind.VTM] if counter else [ServicePoint.Kind.KIOSK]
        point = marker.service_point
        if point is None or point.branch_id != plan.branch_id or point.kind not in wanted:
            errors["service_point"] = _("Choose a counter or kiosk of this branch that matches the kind.")
        marker.zone = None
    else:
        marker.zone = marker.service_point = None
    if not _inside(plan, marker.x, marker.y):
        errors["x"] = _("Place the marker inside the drawing (view box %(box)s).") % {"box": plan.view_box}
    if errors:
        raise ValidationError(errors)
    if not marker.name_zh_hans:
        source = marker.zone or marker.service_point
        marker.name_zh_hans = source.name_zh_hans if source else _("Entrance")
        marker.name_en = marker.name_en or (source.name_en if source else "Entrance")


def floor_marker_save(*, plan: FloorPlan, actor, marker: FloorMarker | None = None, **fields) -> FloorMarker:
    """Place a new marker or move / rename one; the names default to the zone's or counter's."""
    with transaction.atomic():
        before = _marker_snapshot(marker) if marker and marker.pk else None
        marker = marker or FloorMarker(plan=plan)
        for name, value in fields.items():
            setattr(marker, name, value)
        _check_marker(plan, marker)
        clash = FloorMarker.objects.filter(plan=plan).exclude(pk=marker.pk)
        if marker.service_point is not None:
            clash = clash.filter(service_point=marker.service_point)
        elif marker.kind == FloorMarker.Kind.ZONE:
            clash = clash.filter(kind=FloorMarker.Kind.ZONE, zone=marker.zone)
        else:
            clash = clash.none()
        if clash.exists():
            raise ValidationError({"kind": _("That place already has a marker; move it instead.")})
        marker.save()
        audit_record(actor=actor, action="branches.floor_marker.save", obj=marker, branch=plan.branch,
                     before=before, after=_marker_snapshot(marker))
    return marker


def floor_marker_delete(*, marker: FloorMarker, actor) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action="branches.floor_marker.delete", obj=marker,
                     branch=marker.plan.branch, before=_marker_snapshot(marker))
        marker.delete()


@dataclass(frozen=True)
class Where:
    text: str
    marker_id: int | None = None


def _place_text(template_with: str, template_without: str, place: str, direction: str) -> str:
    if direction:
        return template_with % {"place": place, "direction": direction}
    return template_without % {"place": place}


def plan_of(branch: Branch) -> FloorPlan | None:
    return FloorPlan.objects.filter(branch=branch).first()


def point_direction(plan: FloorPlan | None, point: ServicePoint) -> tuple[str, FloorMarker | None]:
    """The counter's own direction text, else its zone's."""
    if plan is None:
        return "", None
    markers = {(m.service_point_id, m.zone_id): m for m in plan.markers.all()}
    own = next((m for (p, _z), m in markers.items() if p == point.pk), None)
    zone = next((m for (p, z), m in markers.items() if p is None and z == point.zone_id), None)
    direction = (own.direction if own else "") or (zone.direction if zone else "")
    return direction, own or zone


def where_for_point(point: ServicePoint, plan: FloorPlan | None = None) -> Where:
    plan = plan if plan is not None else plan_of(point.branch)
    direction, marker = point_direction(plan, point)
    # "请前往2号窗口（A区，左手边）"
    return Where(_place_text(_("Please go to %(place)s (%(direction)s)"), _("Please go to %(place)s"),
                             point.name, direction), marker.pk if marker else None)


def where_for_ticket(ticket, plan: FloorPlan | None = None) -> Where | None:
    """The called ticket's counter; a waiting one's queue zone (where to sit until called)."""
    plan = plan if plan is not None else plan_of(ticket.branch)
    if ticket.counter_id:
        return where_for_point(ticket.counter, plan)
    zone = Zone.objects.filter(branch_id=ticket.branch_id, ticket_prefix=ticket.queue).first()
    if zone is None:
        return None
    marker = plan.markers.filter(zone=zone).first() if plan else None
    return Where(_place_text(_("Please wait in %(place)s (%(direction)s)"), _("Please wait in %(place)s"),
                             zone.name, marker.direction if marker else ""), marker.pk if marker else None)


def lobby_directions(branch: Branch) -> dict[str, dict[str, str]]:
    """Counter id → its direction text in both languages, for the lobby's "now calling"."""
    plan = plan_of(branch)
    if plan is None:
        return {}
    result = {}
    markers = list(plan.markers.all())
    zones = {m.zone_id: m for m in markers if m.kind == FloorMarker.Kind.ZONE}
    for point in ServicePoint.objects.filter(branch=branch).exclude(kind=ServicePoint.Kind.KIOSK):
        own = next((m for m in markers if m.service_point_id == point.pk), None)
        source = [m for m in (own, zones.get(point.zone_id)) if m is not None and m.direction_zh_hans]
        if source:
            result[str(point.pk)] = {"zh-hans": source[0].direction_zh_hans,
                                     "en": source[0].direction_en or source[0].direction_zh_hans}
    return result
