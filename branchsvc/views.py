import asyncio
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from branches.access import staff_branches, user_role
from branches.models import Branch
from branches.roles import Role
from branchsvc import attention
from branchsvc.celery import app as celery_app
from core.worker_heartbeat import check_worker_heartbeat


def landing(request):
    role = user_role(request.user)
    if role is not None and role != Role.CUSTOMER:
        return redirect("staff-home")
    branches = Branch.objects.filter(is_active=True).prefetch_related("opening_hours",
                                                                       "calendar_exceptions")
    now = timezone.now()
    rows = [{"branch": branch, "open": branch.is_open_at(now)} for branch in branches]
    return render(request, "landing.html", {"branches": rows})


@login_required
def staff_home(request):
    role = user_role(request.user)
    if role == Role.CUSTOMER:
        return redirect("landing")
    profile = getattr(request.user, "staff_profile", None)
    return render(request, "staff/home.html", {
        "role": role, "profile": profile, "branches": staff_branches(request.user),
        "attention": attention.items_for(request.user)})


@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


async def _channel_layer_roundtrip(timeout: float = 2.0) -> None:
    layer = get_channel_layer()
    channel = await layer.new_channel()
    marker = uuid.uuid4().hex
    # Listen before sending: a pub/sub layer drops messages nobody is subscribed to yet.
    receiving = asyncio.ensure_future(layer.receive(channel))
    try:
        await asyncio.sleep(0.01)
        await layer.send(channel, {"type": "readyz.ping", "marker": marker})
        message = await asyncio.wait_for(receiving, timeout)
    finally:
        receiving.cancel()
    if message.get("marker") != marker:
        raise RuntimeError("channel layer returned another message")


def _check_channel_layer() -> None:
    async_to_sync(_channel_layer_roundtrip)()


def _check_broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


@never_cache
@require_GET
def readyz(request):
    """Readiness for load balancers: database, channel layer and Celery broker reachable, and a
    Celery worker alive (a recent heartbeat)."""
    checks = {}
    for name, check in (("database", _check_database), ("channel_layer", _check_channel_layer),
                        ("broker", _check_broker), ("worker", check_worker_heartbeat)):
        try:
            check()
            checks[name] = {"ok": True}
        except Exception as error:  # noqa: BLE001 - any failure means not ready
            checks[name] = {"ok": False, "error": error.__class__.__name__}
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse({"ready": ready, "checks": checks}, status=200 if ready else 503)
