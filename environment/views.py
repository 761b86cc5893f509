"""Pages of the environment: the tiles on the lobby manager's dashboard, the network overview and
a branch's page with history charts, alerts, thresholds and the sensor registry."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from branches.access import role_required, staff_branches
from environment import access, conf, services, tiles
from environment.charts import history_svg
from environment.forms import HOURS, SensorForm, ThresholdForm
from environment.kinds import SPECS, Kind


def _tiles_context(branch) -> dict:
    return {"branch": branch, "tiles": tiles.tiles(branch),
            "alerts": tiles.alerts_to_acknowledge([branch])}


@require_GET
@role_required(*access.WATCH_ROLES)
def tiles_part(request, code):
    """The live tiles (the dashboard and the branch page poll this)."""
    branch = access.branch_for_watcher(request.user, code)
    return render(request, "environment/_tiles.html", _tiles_context(branch))


@require_POST
@role_required(*access.WATCH_ROLES)
def alert_acknowledge(request, pk):
    alert = access.alert_for_user(request.user, pk)
    try:
        services.sensor_alert_acknowledge(actor=request.user, alert=alert)
    except ValidationError:
        pass  # someone else was quicker; the refreshed tiles show it acknowledged
    if request.htmx:
        return render(request, "environment/_tiles.html", _tiles_context(alert.branch))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("environment-branch", alert.branch.code)


@require_GET
@role_required(*access.WATCH_ROLES)
def network(request):
    branches = list(staff_branches(request.user).order_by("code"))
    if len(branches) == 1:
        return redirect("environment-branch", branches[0].code)
    rows = []
    for branch in branches:
        by_kind = {tile.sensor.kind: tile for tile in tiles.tiles(branch)}
        rows.append((branch, [by_kind.get(kind) for kind in Kind.values]))
    return render(request, "environment/network.html", {
        "rows": rows, "kinds": Kind.choices, "alerts": tiles.alerts_to_acknowledge(branches)})


def _branch_page(request, branch, *, status=200, threshold_forms=None, sensor_form=None):
    hours = int(request.GET.get("hours", 24)) if request.GET.get("hours", "24") in {"6", "24", "168"} else 24
    now = timezone.now()
    limits = services.all_limits(branch)
    charts = []
    for tile in tiles.tiles(branch, now=now):
        sensor = tile.sensor
        buckets = tiles.history(sensor, hours=hours, now=now)
        title = _("%(sensor)s at %(location)s, last %(period)s") % {
            "sensor": sensor.get_kind_display(), "location": sensor.location or sensor.key,
            "period": HOURS[hours]}
        charts.append({"tile": tile, "buckets": buckets, "svg": history_svg(
            title=title, buckets=buckets, limits=limits[sensor.kind], start=now - dt.timedelta(hours=hours),
            end=now, tz=branch.tz, places=SPECS[sensor.kind].places)})
    configure = access.may_configure(request.user)
    if configure and threshold_forms is None:
        threshold_forms = [(kind, label, ThresholdForm(prefix=kind, initial={
            "low": limits[kind].low, "high": limits[kind].high})) for kind, label in Kind.choices]
    context = {**_tiles_context(branch), "charts": charts, "hours": hours, "hour_choices": HOURS.items(),
               "recent": tiles.recent_alerts(branch), "configure": configure,
               "threshold_forms": threshold_forms, "sensor_form": sensor_form or SensorForm(),
               "sensors": branch.sensors.order_by("kind", "key") if configure else [],
               "topic_prefix": conf.topic_prefix()}
    return render(request, "environment/branch.html", context, status=status)


@require_GET
@role_required(*access.WATCH_ROLES)
def branch_page(request, code):
    return _branch_page(request, access.branch_for_watcher(request.user, code))


@require_POST
@role_required(*access.CONFIGURE_ROLES)
def thresholds_save(request, code):
    branch = access.branch_for_watcher(request.user, code, configure=True)
    forms = [(kind, label, ThresholdForm(request.POST, prefix=kind)) for kind, label in Kind.choices]
    if not all(form.is_valid() for _kind, _label, form in forms):
        return _branch_page(request, branch, status=400, threshold_forms=forms)
    try:
        services.thresholds_set(actor=request.user, branch=branch, limits={
            kind: (form.cleaned_data["low"], form.cleaned_data["high"]) for kind, _label, form in forms})
    except ValidationError as error:
        by_kind = {kind: form for kind, _label, form in forms}
        for key, messages in error.message_dict.items():
            kind, _dash, field = key.rpartition("-")
            by_kind[kind].add_error(field, messages)
        return _branch_page(request, branch, status=400, threshold_forms=forms)
    return redirect("environment-branch", branch.code)


@require_POST
@role_required(*access.CONFIGURE_ROLES)
def sensor_add(request, code):
    branch = access.branch_for_watcher(request.user, code, configure=True)
    form = SensorForm(request.POST)
    if form.is_valid():
        try:
            services.sensor_register(actor=request.user, branch=branch, **form.cleaned_data)
            return redirect("environment-branch", branch.code)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field, messages)
    return _branch_page(request, branch, status=400, sensor_form=form)


@require_POST
@role_required(*access.CONFIGURE_ROLES)
def sensor_toggle(request, pk):
    sensor = access.sensor_for_user(request.user, pk, configure=True)
    services.sensor_set_active(actor=request.user, sensor=sensor, active=not sensor.is_active)
    return redirect("environment-branch", sensor.branch.code)
