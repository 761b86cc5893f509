"""The floor plan: a sanitized drawing the branch admin uploads, markers they place, and the
words and highlight that send a customer to the right place on the ticket page, the kiosk slip
and the lobby's "now calling"."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import translation

from branches.demo_floorplan import DRAWING
from branches.floorplans import FloorMarker, FloorPlan
from branches.roles import Role
from branches.svg_sanitize import sanitize_svg
from branches.wayfinding import floor_marker_save, floor_plan_upload, lobby_directions
from compliance.models import AuditEvent
from kiosk import payloads
from queueing import services as queue
from tests.factories import make_counter, make_service_type, make_staff

HOSTILE = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     viewBox="0 0 400 300" onload="alert(1)">
  <script>alert(document.cookie)</script>
  <style>rect { fill: url(https://evil.example/x.svg#p) }</style>
  <rect x="0" y="0" width="400" height="300" fill="#eee" style="background:url(https://evil.example)"/>
  <a xlink:href="javascript:alert(2)"><text x="10" y="20">Click</text></a>
  <image href="https://evil.example/track.png" width="10" height="10"/>
  <use xlink:href="https://evil.example/sprite.svg#icon"/>
  <foreignObject width="100" height="100"><iframe src="https://evil.example"/></foreignObject>
  <circle cx="50" cy="50" r="10" fill="url(#grad)" onclick="steal()"/>
  <text x="200" y="150" font-size="20">A区 &lt;现金&gt;</text>
</svg>"""


def test_the_sanitizer_keeps_the_drawing_and_drops_everything_active():
    clean = sanitize_svg(HOSTILE)
    assert clean.view_box == "0 0 400 300"
    assert '<rect x="0" y="0" width="400" height="300" fill="#eee">' in clean.markup
    assert "A区 &lt;现金&gt;" in clean.markup and '<circle cx="50" cy="50" r="10">' in clean.markup
    for banned in ("script", "alert", "style", "evil", "javascript", "href", "onload", "onclick", "iframe",
                   "url(", "<a", "<image", "<use", "foreignObject"):
        assert banned not in clean.markup, banned
    assert {"script", "style", "a", "image", "use", "foreignObject", "@onclick", "@fill", "@style"} <= set(
        clean.removed)


@pytest.mark.parametrize("document, message", [
    ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
     '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&b;</text></svg>', "DOCTYPE"),
    ('<!DOCTYPE svg SYSTEM "file:///etc/passwd"><svg viewBox="0 0 1 1"/>', "DOCTYPE"),
    ("<html><body>not a plan</body></html>", "<svg>"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', "viewBox"),
    ("<svg viewBox='0 0 10 10'><rect></svg>", "well-formed"),
])
def test_the_sanitizer_refuses_what_it_cannot_trust(document, message):
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        sanitize_svg(document)


def test_a_utf16_drawing_is_refused_before_parsing():
    with translation.override("en"), pytest.raises(ValidationError, match="UTF-8"):
        sanitize_svg('<svg viewBox="0 0 1 1"/>'.encode("utf-16"))


@pytest.fixture
def hall(branch):
    cash = branch.zones.get(kind="cash")
    cash.name_zh_hans, cash.name_en = "现金业务区", "Cash zone"
    cash.save(update_fields=["name_zh_hans", "name_en"])
    deposit = make_service_type("DEPOSIT", name_zh_hans="存款", name_en="Deposit")
    counter = make_counter(branch, "02", services=[deposit])
    counter.name_zh_hans, counter.name_en = "2号窗口", "Counter 2"
    counter.save(update_fields=["name_zh_hans", "name_en"])
    plan, _removed = floor_plan_upload(branch=branch, data=DRAWING, actor=None)
    zone_marker = floor_marker_save(plan=plan, actor=None, kind=FloorMarker.Kind.ZONE, zone=cash,
                                    x=140, y=300, direction_zh_hans="A区，左手边",
                                    direction_en="Zone A, on your left")
    counter_marker = floor_marker_save(plan=plan, actor=None, kind=FloorMarker.Kind.COUNTER,
                                       service_point=counter, x=190, y=110)
    return {"plan": plan, "deposit": deposit, "counter": counter, "zone_marker": zone_marker,
            "counter_marker": counter_marker}


def _page(client, ticket, language="zh-hans"):
    return client.get(f"/queue/t/{ticket.public_token}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_the_ticket_page_shows_the_zone_to_wait_in_then_the_counter_called(client, branch, hall, teller):
    ticket = queue.ticket_issue(issue=queue.IssueRequest(
        branch=branch, service_type=hall["deposit"], source="kiosk", enforce_hours=False))
    page = _page(client, ticket)
    assert "请在现金业务区等候（A区，左手边）" in page
    assert f'class="floor-marker zone highlight" data-marker="{hall["zone_marker"].pk}"' in page
    queue.counter_open(actor=teller, counter=hall["counter"])
    queue.ticket_call_next(actor=teller, counter=hall["counter"])
    page = _page(client, ticket)
    # The counter's own marker has no direction: it borrows its zone's.
    assert "请前往2号窗口（A区，左手边）" in page
    assert f'class="floor-marker counter highlight" data-marker="{hall["counter_marker"].pk}"' in page
    assert "Please go to Counter 2 (Zone A, on your left)" in _page(client, ticket, "en")


def test_a_branch_without_a_floor_plan_shows_no_plan(client, branch, teller):
    deposit = make_service_type("DEPOSIT2")
    make_counter(branch, "01", services=[deposit])
    ticket = queue.ticket_issue(issue=queue.IssueRequest(
        branch=branch, service_type=deposit, source="kiosk", enforce_hours=False))
    assert "floor-plan" not in _page(client, ticket)


def test_the_kiosk_slip_and_the_lobby_say_where_to_go(branch, hall):
    ticket = queue.ticket_issue(issue=queue.IssueRequest(
        branch=branch, service_type=hall["deposit"], source="kiosk", enforce_hours=False))
    with translation.override("zh-hans"):
        slip = payloads.ticket(RequestFactory().get("/"), ticket)
    assert slip["where"] == "请在现金业务区等候（A区，左手边）"
    assert slip["where_marker"] == hall["zone_marker"].pk
    assert lobby_directions(branch)[str(hall["counter"].pk)] == {"zh-hans": "A区，左手边",
                                                                 "en": "Zone A, on your left"}


def _upload(client, user, branch, text, name="plan.svg"):
    client.force_login(user)
    return client.post(f"/branches/{branch.code}/floor-plan/",
                       {"action": "upload",
                        "drawing": SimpleUploadedFile(name, text.encode(), "image/svg+xml")},
                       HTTP_ACCEPT_LANGUAGE="en")


def test_the_branch_admin_uploads_a_plan_and_is_told_what_was_removed(client, branch, branch_admin):
    response = _upload(client, branch_admin, branch, HOSTILE)
    assert response.status_code == 302
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Removed from the drawing for safety" in page and "script" in page
    assert "alert(" not in page and "evil.example" not in page
    plan = FloorPlan.objects.get(branch=branch)
    event = AuditEvent.objects.get(action="branches.floor_plan.upload")
    assert event.after["view_box"] == plan.view_box and "script" in event.after["removed"]


def test_a_bad_file_is_refused_with_the_reason_and_nothing_saved(client, branch, branch_admin):
    response = _upload(client, branch_admin, branch, '<!DOCTYPE svg><svg viewBox="0 0 1 1"/>')
    assert response.status_code == 400 and "DOCTYPE" in response.content.decode()
    assert not FloorPlan.objects.exists()


def test_the_admin_places_a_marker_inside_the_drawing_only(client, branch, branch_admin, hall):
    client.force_login(branch_admin)
    kiosk = make_counter(branch, "K1", zone_kind="self_service", kind="kiosk")
    url = f"/branches/{branch.code}/floor-plan/"
    data = {"action": "marker", "kind": "kiosk", "service_point": kiosk.pk, "direction_zh_hans": "入口右侧",
            "direction_en": "Right of the entrance", "x": 900, "y": 450}
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "inside the drawing" in response.content.decode()
    assert not FloorMarker.objects.filter(service_point=kiosk).exists()
    assert client.post(url, {**data, "x": 600}, HTTP_ACCEPT_LANGUAGE="en").status_code == 302
    marker = FloorMarker.objects.get(service_point=kiosk)
    assert (marker.name_zh_hans, marker.x) == (kiosk.name_zh_hans, 600)
    assert AuditEvent.objects.filter(action="branches.floor_marker.save", object_id=str(marker.pk)).exists()
    response = client.post(url, {**data, "x": 610}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "already has a marker" in response.content.decode()


@pytest.mark.parametrize("role", [Role.TELLER, Role.LOBBY_MANAGER])
def test_only_admins_edit_the_floor_plan(client, branch, role):
    assert _upload(client, make_staff(role, branch), branch, DRAWING).status_code == 403


def test_an_admin_of_another_branch_cannot_reach_this_plan(client, branch, other_branch):
    assert _upload(client, make_staff(Role.BRANCH_ADMIN, other_branch), branch, DRAWING).status_code == 404
