"""Object-level access (IDOR) sweep: every URL pattern that names an object, requested by each
role of branch A with branch B's objects, never answers with B's data; every websocket route
refuses A's staff and devices for B's groups. The per-app access tests check each helper in
depth; this sweep makes sure no route was left without one."""

import re

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from branches.roles import Role
from branchsvc.routing import websocket_urlpatterns
from queueing import services as queue
from servicedesk.services.work_orders import work_order_create
from tests.factories import make_counter, make_customer, make_device, make_service_type, make_staff

B_CUSTOMER_NAME = "欧阳乙方"
# Routes whose parameter is a secret capability (an unguessable token handed to the customer), not
# an object id: holding it is the permission. Their own apps test wrong and revoked tokens.
CAPABILITY_PARAMS = {"token", "slot"}
# Parameters whose objects have no branch (network-wide knowledge, maker-checker requests
# decided by head-office roles) or are a small closed set of words, not objects.
NOT_BRANCH_OBJECTS = {"slug", "version_id", "request_id", "cooling_off_id", "rule", "service_code",
                      "action", "part"}
WORD_VALUES = {"action": "call", "part": "queues", "service_code": "B_SVC", "rule": "x"}


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _object_routes():
    found = []
    for route in _routes(get_resolver().url_patterns):
        params = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if not params or route.startswith("admin") or CAPABILITY_PARAMS & set(params):
            continue
        if set(params) <= NOT_BRANCH_OBJECTS:
            continue
        found.append((route, params))
    return found


@pytest.fixture
def branch_b_objects(other_branch, clock):
    service = make_service_type("B_SVC")
    counter = make_counter(other_branch, "09", services=[service])
    b_teller = make_staff(Role.TELLER, other_branch)
    queue.counter_open(actor=b_teller, counter=counter)
    customer = make_customer(branch=other_branch, name=B_CUSTOMER_NAME)
    ticket = queue.ticket_issue(issue=queue.IssueRequest(
        branch=other_branch, service_type=service, source="kiosk",
        customer=customer))
    device, _token = make_device(other_branch, "kiosk")
    order = work_order_create(actor=b_teller, kind="complaint", channel="counter", branch=other_branch,
                              description="B 支行的投诉", title="B complaint", customer=customer)
    ids = {
        "code": [other_branch.code], "branch_code": [other_branch.code],
        "pk": [counter.pk, ticket.pk, order.pk], "point_id": [counter.pk],
        "customer_id": [customer.pk], "device_id": [device.pk],
        "public_id": ["00000000-0000-0000-0000-000000000000"], "record_id": [], **{
            name: [value] for name, value in WORD_VALUES.items()},
    }
    # Branch names and ticket numbers are public (booking pages, lobby screens); these are not.
    markers = [B_CUSTOMER_NAME, customer.masked_name, "B complaint", "B 支行的投诉"]
    return ids, markers


def _fill(route: str, params: list[str], ids: dict) -> list[str]:
    urls = ["/" + route]
    for name in params:
        values = ids.get(name) or []
        urls = [re.sub(rf"<(?:\w+:)?{name}>", str(value), url, count=1) for url in urls for value in values]
    return urls


def _leaks(response, markers) -> list[str]:
    if response.status_code != 200 or response.get("Content-Type", "").startswith("image/"):
        return []
    body = response.content.decode("utf-8", "replace")
    return [marker for marker in markers if marker in body]


def _sweep(client, ids, markers) -> tuple[int, list[str]]:
    problems, checked = [], 0
    for route, params in _object_routes():
        for url in _fill(route, params, ids):
            checked += 1
            response = client.get(url)
            if leaked := _leaks(response, markers):
                problems.append(f"GET {url} -> 200 with {leaked}")
            response = client.post(url, {})
            if response.status_code in (200, 201, 204) and _leaks(response, markers):
                problems.append(f"POST {url} -> {response.status_code} with B's data")
    return checked, problems


@pytest.mark.parametrize("role", [Role.TELLER, Role.WEALTH_MANAGER, Role.LOBBY_MANAGER, Role.BRANCH_ADMIN,
                                  Role.CUSTOMER, None])
def test_no_route_shows_another_branchs_object_to_this_branchs_staff_or_customers(
        role, users_by_role, branch_b_objects):
    ids, markers = branch_b_objects
    client = Client()
    if users_by_role[role] is not None:
        client.force_login(users_by_role[role])
    checked, problems = _sweep(client, ids, markers)
    assert checked > 60, "the sweep lost its routes"
    assert not problems, "\n".join(problems)


def test_the_sweep_sees_branch_b_data_where_a_head_office_admin_may_see_it(head_office_admin,
                                                                          branch_b_objects, client):
    ids, markers = branch_b_objects
    client.force_login(head_office_admin)
    _checked, shown = _sweep(client, ids, markers)
    assert shown, "the markers never appear, so the sweep above could not fail"


def test_a_device_token_only_works_for_its_own_branch(branch, branch_b_objects, client):
    ids, markers = branch_b_objects
    _device, token = make_device(branch, "kiosk")
    headers = {"HTTP_AUTHORIZATION": f"Device {token}"}
    problems = []
    for route, params in _object_routes():
        if not route.startswith("api/"):
            continue
        for url in _fill(route, params, ids):
            if leaked := _leaks(client.get(url, **headers), markers):
                problems.append(f"GET {url} -> {leaked}")
    assert not problems, "\n".join(problems)


# --- websockets -----------------------------------------------------------------------------

async def _connects(path, *, user=None, device=None) -> bool:
    from channels.routing import URLRouter

    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns()), path)
    communicator.scope["user"] = user or AnonymousUser()
    communicator.scope["device"] = device
    connected, _ = await communicator.connect(timeout=5)
    await communicator.disconnect()
    return connected


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_no_websocket_of_another_branch_accepts_this_branchs_staff_or_devices(branch, other_branch):
    staff = [await sync_to_async(make_staff)(role, branch) for role in
             (Role.TELLER, Role.LOBBY_MANAGER, Role.BRANCH_ADMIN, Role.WEALTH_MANAGER)]
    devices = [(await sync_to_async(make_device)(branch, kind))[0] for kind in ("kiosk", "lobby_screen")]
    b_counter = await sync_to_async(make_counter)(other_branch, "09")
    paths = [f"/ws/queue/staff/{other_branch.code}/", f"/ws/queue/lobby/?branch={other_branch.code}",
             f"/ws/counter/{b_counter.pk}/"]
    accepted = []
    for path in paths:
        for user in staff:
            if await _connects(path, user=user):
                accepted.append(f"{path} as {user.username}")
        for device in devices:
            if await _connects(path, device=device) and "lobby" not in path:
                accepted.append(f"{path} as device {device.kind}")
    assert not accepted, accepted
    # A's own lobby screen joins A's lobby even when it asks for B's: the device decides.
    assert await _connects(f"/ws/queue/lobby/?branch={other_branch.code}", device=devices[1])
