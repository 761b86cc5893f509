"""Floor plan and "where to go" for the customer's pages: {% floor_plan branch ticket=t %},
{% floor_plan branch point=p %}, {% where_to_go ticket %} and {% lobby_directions branch %}."""

from django import template
from django.utils.html import json_script
from django.utils.safestring import mark_safe

from branches import wayfinding
from branches.floorplans import FloorMarker

register = template.Library()


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _marker(marker: FloorMarker, highlight: int | None) -> dict:
    return {"id": marker.pk, "kind": marker.kind, "label": marker.name,
            "x": _num(marker.x), "y": _num(marker.y), "point": marker.service_point_id or "",
            "prefix": marker.zone.ticket_prefix if marker.zone else "", "highlight": marker.pk == highlight}


@register.inclusion_tag("branches/_floor_plan.html")
def floor_plan(branch, ticket=None, point=None, caption=True):
    plan = wayfinding.plan_of(branch)
    if plan is None:
        return {"plan": None}
    if ticket is not None:
        where = wayfinding.where_for_ticket(ticket, plan)
    elif point is not None:
        where = wayfinding.where_for_point(point, plan)
    else:
        where = None
    highlight = where.marker_id if where else None
    markers = [_marker(m, highlight) for m in plan.markers.select_related("zone")]
    _x, _y, width, height = plan.size
    unit = max(width, height) / 50
    points = {str(m.service_point_id): wayfinding.where_for_point(m.service_point, plan).text
              for m in plan.markers.select_related("service_point__zone", "service_point__branch")
              if m.service_point_id}
    return {
        "plan": plan, "drawing": mark_safe(plan.svg),  # noqa: S308 - rebuilt from a whitelist on upload
        "markers": markers, "where": where, "caption": caption,
        "r": _num(unit * 0.8), "ring": _num(unit * 1.6), "font": _num(unit * 1.1), "dy": _num(unit * 2.3),
        "directions": json_script(points, f"floor-plan-where-{plan.pk}"),
    }


@register.simple_tag
def where_to_go(ticket) -> str:
    where = wayfinding.where_for_ticket(ticket)
    return where.text if where else ""


@register.simple_tag
def lobby_directions(branch) -> str:
    return json_script(wayfinding.lobby_directions(branch), "lobby-directions")
