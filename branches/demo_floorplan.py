"""The demo branches' floor plan: a drawing of a mid-size branch hall and its markers, placed
through the same services the branch admin uses (so the seeding is audited too)."""

from branches.floorplans import FloorMarker
from branches.models import Branch
from branches.wayfinding import floor_marker_save, floor_plan_upload

DRAWING = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 520">
  <title>营业厅平面图</title>
  <rect x="10" y="10" width="780" height="500" rx="8" fill="#f7f8fa" stroke="#8a94a6" stroke-width="4"/>
  <rect x="30" y="30" width="220" height="300" rx="6" fill="#fdecea" stroke="#d58b84" stroke-width="2"/>
  <text x="140" y="60" font-size="22" text-anchor="middle" fill="#8a2c22">A区 现金</text>
  <rect x="550" y="30" width="220" height="300" rx="6" fill="#e6effa" stroke="#7fa3d1" stroke-width="2"/>
  <text x="660" y="60" font-size="22" text-anchor="middle" fill="#1f4e8a">B区 非现金</text>
  <rect x="280" y="30" width="110" height="170" rx="6" fill="#fff3d6" stroke="#d2a94a" stroke-width="2"/>
  <text x="335" y="60" font-size="18" text-anchor="middle" fill="#7a5200">理财室</text>
  <rect x="410" y="30" width="110" height="170" rx="6" fill="#f2e8fb" stroke="#a88bc9" stroke-width="2"/>
  <text x="465" y="60" font-size="18" text-anchor="middle" fill="#5b3a85">贵宾室</text>
  <rect x="290" y="220" width="220" height="110" rx="6" fill="#eef1f5" stroke="#b4bcc8" stroke-width="2"/>
  <text x="400" y="245" font-size="18" text-anchor="middle" fill="#4a5563">等候区</text>
  <g fill="#c9d0da"><rect x="310" y="260" width="40" height="20"/>
  <rect x="380" y="260" width="40" height="20"/>
  <rect x="450" y="260" width="40" height="20"/><rect x="310" y="295" width="40" height="20"/>
  <rect x="380" y="295" width="40" height="20"/><rect x="450" y="295" width="40" height="20"/></g>
  <rect x="560" y="370" width="200" height="110" rx="6" fill="#e9f7ee" stroke="#7fbf95" stroke-width="2"/>
  <path d="M340 510 L340 470 M460 510 L460 470" stroke="#8a94a6" stroke-width="4"/>
  <text x="400" y="500" font-size="18" text-anchor="middle" fill="#4a5563">入口</text>
</svg>"""

# code or zone kind → (x, y, direction zh, direction en)
ZONES = {
    "cash": (140, 230, "A区，左手边", "Zone A, on your left"),
    "non_cash": (660, 230, "B区，右手边", "Zone B, on your right"),
    "wealth": (335, 145, "理财室，正前方左侧", "Wealth room, straight ahead on the left"),
    "vip": (465, 145, "贵宾室，正前方右侧", "VIP room, straight ahead on the right"),
    "self_service": (660, 390, "入口右侧", "Right of the entrance"),
}
POINTS = {
    "01": (90, 110, "A区，左手边", "Zone A, on your left"),
    "02": (190, 110, "A区，左手边", "Zone A, on your left"),
    "03": (610, 110, "B区，右手边", "Zone B, on your right"),
    "04": (710, 110, "B区，右手边", "Zone B, on your right"),
    "05": (465, 80, "贵宾室，正前方右侧", "VIP room, straight ahead on the right"),
    "06": (335, 80, "理财室，正前方左侧", "Wealth room, straight ahead on the left"),
    "K1": (600, 440, "自助服务区，入口右侧", "Self-service, right of the entrance"),
    "K2": (660, 440, "自助服务区，入口右侧", "Self-service, right of the entrance"),
    "VTM1": (720, 440, "自助服务区，入口右侧", "Self-service, right of the entrance"),
}


def seed_floor_plan(branch: Branch, *, actor) -> None:
    plan, _removed = floor_plan_upload(branch=branch, data=DRAWING, actor=actor)
    for zone in branch.zones.all():
        if zone.kind in ZONES:
            x, y, zh, en = ZONES[zone.kind]
            floor_marker_save(plan=plan, actor=actor, kind=FloorMarker.Kind.ZONE, zone=zone, x=x, y=y,
                              direction_zh_hans=zh, direction_en=en)
    for point in branch.service_points.all():
        if point.code in POINTS:
            x, y, zh, en = POINTS[point.code]
            kind = FloorMarker.Kind.KIOSK if point.kind == "kiosk" else FloorMarker.Kind.COUNTER
            floor_marker_save(plan=plan, actor=actor, kind=kind, service_point=point, x=x, y=y,
                              direction_zh_hans=zh, direction_en=en)
    floor_marker_save(plan=plan, actor=actor, kind=FloorMarker.Kind.ENTRANCE, x=400, y=430)
