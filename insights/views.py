"""Head-office and branch insight pages. Each page is a set of tables; `?export=<table>` returns
that table as CSV, and every chart on the page is drawn from one of the tables."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.access import branch_for_user, role_required, staff_branches, user_role
from branches.models import ServiceType
from branches.roles import Role
from core import widgets
from insights import charts, kpis, reports
from insights.models import WAIT_BUCKET_FIELDS, WAIT_BUCKETS
from insights.tables import Table, as_csv, cell, kpi_cells, kpi_header
from quality.selectors import heat_map as quality_heat_map

BRANCH_ROLES = (Role.HEAD_OFFICE_ADMIN, Role.BRANCH_ADMIN, Role.LOBBY_MANAGER)
WEEKDAYS = [gettext_lazy("Mon"), gettext_lazy("Tue"), gettext_lazy("Wed"), gettext_lazy("Thu"),
            gettext_lazy("Fri"), gettext_lazy("Sat"), gettext_lazy("Sun")]


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), required=False,
                            widget=widgets.DateInput())
    end = forms.DateField(label=gettext_lazy("To"), required=False,
                          widget=widgets.DateInput())
    grain = forms.ChoiceField(label=gettext_lazy("Trend by"), required=False,
                              choices=[("day", gettext_lazy("Day")), ("week", gettext_lazy("Week")),
                                       ("month", gettext_lazy("Month"))])

    def clean(self):
        data = super().clean()
        end = data.get("end") or timezone.localdate()
        start = data.get("start") or end - dt.timedelta(days=29)
        if start > end:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        if (end - start).days > 366 * 2:
            raise forms.ValidationError(_("Choose a period of at most two years."))
        data["period"] = reports.Period(start, end, data.get("grain") or "day")
        return data


def _period(request):
    form = PeriodForm(request.GET or None)
    if request.GET and not form.is_valid():
        return form, None
    if not request.GET:
        form = PeriodForm({})
        form.is_valid()
    return form, form.cleaned_data["period"]


def _link(request, name, *args, **params) -> str:
    keep = {k: v for k, v in request.GET.items() if k in ("start", "end", "grain")}
    keep.update({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(name, args=args) + ("?" + urlencode(keep) if keep else "")


def _respond(request, template, tables: list[Table], filename: str, context: dict):
    wanted = request.GET.get("export")
    if wanted:
        table = next((t for t in tables if t.key == wanted), None)
        if table is None:
            raise Http404("no such table")
        return as_csv(table, filename)
    context["tables"] = {t.key: t for t in tables}
    context["export_base"] = request.GET.copy()
    return render(request, template, context)


def _trend_table(rows) -> Table:
    header = [_("Period"), *kpi_header(rows[0].values)] if rows else [_("Period")]
    return Table("trend", _("Trend"), header,
                 [[cell(r.label), *kpi_cells(r.values)] for r in rows])


def _trend_chart(rows):
    return charts.lines(
        title=_("Arrivals and customers served"), labels=[r.label for r in rows],
        series=[(_("Arrivals"), [r.totals["arrivals"] for r in rows]),
                (_("Served"), [r.totals["served"] for r in rows])])


def _kpi_table(values) -> Table:
    return Table("kpis", _("Indicators"), [_("Indicator"), _("Value"), _("Unit"), _("Definition")],
                 [[cell(str(k.label)), kpi_cells([(k, v)])[0], cell(str(k.unit)),
                   cell(str(k.definition), css="text")]
                  for k, v in values])


@role_required(*BRANCH_ROLES)
def network(request):
    if user_role(request.user) != Role.HEAD_OFFICE_ADMIN:
        own = staff_branches(request.user).first()
        if own is None:
            raise Http404("no branch")
        return redirect("insights-branch", own.code)
    form, period = _period(request)
    if period is None:
        return HttpResponseBadRequest(render(request, "insights/network.html", {"form": form}).content)
    region = request.GET.get("region") or None
    data = reports.network(period=period, region=region)
    header = [_("Branch") if region else _("Region"), *kpi_header(data["kpis"])]
    rows = []
    for row in data["rows"]:
        link = (_link(request, "insights-branch", row.code) if region
                else _link(request, "insights-network", region=row.key or "-"))
        rows.append([cell(row.label or _("(no region)"), link=link), *kpi_cells(row.values)])
    title = _("Branches") if region else _("Regions")
    tables = [_kpi_table(data["kpis"]), Table("rows", title, header, rows), _trend_table(data["trend"])]
    return _respond(request, "insights/network.html", tables, "insights-network", {
        "form": form, "period": period, "region": region, "kpis": data["kpis"],
        "trend_chart": _trend_chart(data["trend"]),
        "quality_heat": quality_heat_map(start=period.start, end=period.end),
    })


def _wait_table(histogram) -> Table:
    labels = [f"< {m}" for m in WAIT_BUCKETS] + [f"≥ {WAIT_BUCKETS[-1]}"]
    return Table("waits", _("Wait distribution (minutes)"), [_("Wait (min)"), _("Tickets")],
                 [[cell(label), cell(n)] for label, (_name, n) in zip(labels, histogram, strict=True)])


def _heatmap_table(heat) -> Table:
    header = [_("Weekday"), *[f"{h:02d}" for h in heat["hours"]]]
    rows = [[cell(str(WEEKDAYS[d - 1])), *[cell(round(heat["grid"].get((d, h), 0), 1))
                                           for h in heat["hours"]]] for d in range(1, 8)]
    return Table("heatmap", _("Mean arrivals per hour and weekday"), header, rows)


@role_required(*BRANCH_ROLES)
def branch(request, code):
    branch = branch_for_user(request.user, code)
    form, period = _period(request)
    if period is None:
        return HttpResponseBadRequest(render(request, "insights/branch.html",
                                             {"form": form, "branch": branch}).content)
    zone = request.GET.get("zone") or None
    service_id = request.GET.get("service") or None
    if service_id is not None and not service_id.isdigit():
        raise Http404("no such service")
    service = get_object_or_404(ServiceType, pk=service_id) if service_id else None
    data = reports.branch_detail(branch=branch, period=period, zone=zone, service=service)
    flow_header = kpi_header(data["zones"][0].values) if data["zones"] else []
    tables = [
        _kpi_table(data["kpis"]),
        Table("zones", _("Zones"), [_("Zone"), *flow_header],
              [[cell(r.label, link=_link(request, "insights-branch", code, zone=r.key)), *kpi_cells(r.values)]
               for r in data["zones"]]),
        Table("services", _("Services"), [_("Service"), *flow_header],
              [[cell(r.label, link=_link(request, "insights-branch", code, zone=zone, service=r.key)),
                *kpi_cells(r.values)] for r in data["services"]]),
        Table("tellers", _("Tellers"),
              [_("Teller"), *(kpi_header(data["tellers"][0].values) if data["tellers"] else [])],
              [[cell(r.label), *kpi_cells(r.values)] for r in data["tellers"]]),
        Table("hours", _("Hour of day"), [_("Hour"), *flow_header],
              [[cell(r.label), *kpi_cells(r.values)] for r in data["hours"]]),
        _heatmap_table(data["heatmap"]),
        _wait_table(data["wait_histogram"]),
        _trend_table(data["trend"]),
    ]
    heat = data["heatmap"]
    target_index = sum(1 for m in WAIT_BUCKETS if m <= kpis.WAIT_TARGET_MINUTES)
    return _respond(request, "insights/branch.html", tables, f"insights-{branch.code}", {
        "form": form, "branch": branch, "period": period, "zone": zone, "service": service,
        "zone_name": next((r.label for r in data["zones"] if r.key == zone), zone),
        "kpis": data["kpis"],
        "heatmap_chart": charts.heatmap(
            title=_("Mean arrivals per hour and weekday"), rows=[str(d) for d in WEEKDAYS],
            columns=[f"{h:02d}" for h in heat["hours"]],
            values=[[heat["grid"].get((d, h), 0) for h in heat["hours"]] for d in range(1, 8)]),
        "wait_chart": charts.bars(
            title=_("Wait distribution (minutes)"),
            labels=[f"<{m}" for m in WAIT_BUCKETS] + [f"≥{WAIT_BUCKETS[-1]}"],
            values=[n for _name, n in data["wait_histogram"]], highlight_from=target_index),
        "trend_chart": _trend_chart(data["trend"]),
        "network_link": _link(request, "insights-network", region=branch.region or "-"),
        "branch_link": _link(request, "insights-branch", code),
        "zone_link": _link(request, "insights-branch", code, zone=zone),
        "show_network": user_role(request.user) == Role.HEAD_OFFICE_ADMIN,
        "bucket_fields": WAIT_BUCKET_FIELDS,
    })


class StaffingForm(forms.Form):
    weekday = forms.TypedChoiceField(label=gettext_lazy("Weekday"), coerce=int, required=False,
                                     choices=[(i + 1, d) for i, d in enumerate(WEEKDAYS)])
    weeks = forms.IntegerField(label=gettext_lazy("Weeks of history"), min_value=1, max_value=52,
                               required=False)


@role_required(*BRANCH_ROLES)
def staffing(request, code):
    branch = branch_for_user(request.user, code)
    form = StaffingForm(request.GET or None)
    if request.GET and not form.is_valid():
        return HttpResponseBadRequest(render(request, "insights/staffing.html",
                                             {"form": form, "branch": branch}).content)
    data = form.cleaned_data if form.is_bound else {}
    today = timezone.localdate()
    weekday = data.get("weekday") or (today + dt.timedelta(days=1)).isoweekday()
    weeks = data.get("weeks") or 4
    hours = reports.staffing_forecast(branch=branch, weekday=weekday, until=today, weeks=weeks)
    verdicts = {"under": _("Under-staffed"), "over": _("Over-staffed"), "": _("OK")}
    table = Table("staffing", _("Counters per hour"),
                  [_("Hour"), _("Mean arrivals"), _("Mean handling (min)"), _("Counters recommended"),
                   _("Counters open (mean)"), _("Verdict")],
                  [[cell(f"{h.hour:02d}:00"), cell(round(h.arrivals, 2), f"{h.arrivals:.1f}"),
                    cell(round(h.handling_minutes, 2), f"{h.handling_minutes:.1f}"), cell(h.recommended),
                    cell(round(h.open_counters, 2), f"{h.open_counters:.1f}"),
                    cell(h.verdict, str(verdicts[h.verdict]), css=h.verdict)] for h in hours])
    chart = charts.lines(
        title=_("Counters recommended and open"), labels=[f"{h.hour:02d}:00" for h in hours],
        series=[(_("Counters recommended"), [h.recommended for h in hours]),
                (_("Counters open (mean)"), [round(h.open_counters, 2) for h in hours])])
    return _respond(request, "insights/staffing.html", [table], f"staffing-{branch.code}", {
        "form": form, "branch": branch, "weekday": WEEKDAYS[weekday - 1], "weeks": weeks,
        "chart": chart, "hours": hours, "level": int(kpis.SERVICE_LEVEL_TARGET * 100),
        "target": kpis.WAIT_TARGET_MINUTES,
    })
