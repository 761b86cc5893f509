"""Pages of the offline ledger: the lobby manager's review (conflicts to accept or reject, slips
waiting for approval, what was reconciled), and the paper-slip re-entry with its second person."""

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from branches.access import role_required, staff_branches, user_role
from branches.models import ServicePoint, ServiceType
from branches.roles import Role
from compliance.makerchecker import ChangeRequestClosed, StaleChangeRequest
from continuity import ledger_review
from continuity.forms import LedgerDecisionForm, PaperSlipForm
from continuity.ledger import Slip
from continuity.models import LEDGER_AMOUNT_LIMIT, LedgerEntry, LedgerSource, LedgerStatus
from continuity.offline import number_gaps
from continuity.views_emergency import _own_branch
from counter.access import CONSOLE, COUNTER_ROLES
from queueing.access import counter_for_user

READERS = (Role.TELLER, Role.WEALTH_MANAGER, Role.LOBBY_MANAGER, Role.BRANCH_ADMIN,
           Role.HEAD_OFFICE_ADMIN, Role.COMPLIANCE_OFFICER)
DECIDERS = tuple(ledger_review.DECIDERS)
MAKERS = (*COUNTER_ROLES, Role.LOBBY_MANAGER, Role.BRANCH_ADMIN)


def _entries(user):
    return (LedgerEntry.objects.filter(branch__in=staff_branches(user))
            .select_related("branch", "counter", "teller", "entered_by", "decided_by", "service_type",
                            "ticket", "service_record"))


def _entry_for_user(user, pk: int) -> LedgerEntry:
    entry = _entries(user).filter(pk=pk).first()
    if entry is None:
        raise Http404("no such ledger entry")
    return entry


@role_required(*READERS)
@require_GET
def ledger(request):
    entries = _entries(request.user)
    now = timezone.now()
    conflicts = list(entries.filter(status=LedgerStatus.CONFLICT))
    waiting = list(entries.filter(status=LedgerStatus.AWAITING_APPROVAL))
    for entry in conflicts + waiting:
        entry.overdue = entry.overdue_level(now)
        entry.may_check = ledger_review.may_check(request.user, entry)
    context = {
        "conflicts": conflicts,
        "waiting": waiting,
        "done": entries.exclude(status__in=[LedgerStatus.CONFLICT, LedgerStatus.AWAITING_APPROVAL])
        .order_by("-synced_at")[:30],
        "may_decide": user_role(request.user) in DECIDERS,
        "limit": LEDGER_AMOUNT_LIMIT,
        "decision_form": LedgerDecisionForm(),
        "gaps": number_gaps(branches=staff_branches(request.user)),
    }
    return render(request, "continuity/ledger.html", context)


def _report(request, call) -> None:
    try:
        call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except (PermissionDenied, ChangeRequestClosed, StaleChangeRequest) as error:
        messages.error(request, str(error))


@role_required(*DECIDERS)
@require_POST
def ledger_decide(request, pk: int, decision: str):
    """The lobby manager accepts or rejects a conflicting entry, with a reason."""
    entry = _entry_for_user(request.user, pk)
    action = {"accept": ledger_review.ledger_conflict_accept,
              "reject": ledger_review.ledger_conflict_reject}.get(decision)
    if action is None:
        raise Http404("no such decision")
    reason = request.POST.get("reason", "")
    _report(request, lambda: action(actor=request.user, entry=entry, reason=reason))
    return redirect("continuity:ledger")


@role_required(*READERS)
@require_POST
def paper_decide(request, pk: int, decision: str):
    """The second person approves or rejects a re-entered paper slip (never its maker)."""
    entry = _entry_for_user(request.user, pk)

    def decide():
        ledger_review.refuse_unless_checker(request.user, entry)
        if decision == "approve":
            ledger_review.ledger_paper_approve(checker=request.user, entry=entry)
        else:
            ledger_review.ledger_paper_reject(checker=request.user, entry=entry,
                                              reason=request.POST.get("reason", ""))

    if decision not in ("approve", "reject"):
        raise Http404("no such decision")
    _report(request, decide)
    return redirect("continuity:ledger")


def _paper_form(request, branch):
    people = get_user_model().objects.filter(
        is_active=True, staff_profile__branch=branch, staff_profile__role__in=COUNTER_ROLES
    ).order_by("username")
    return PaperSlipForm(
        request.POST or None,
        counters=ServicePoint.objects.filter(branch=branch, kind=ServicePoint.Kind.COUNTER).order_by("code"),
        tellers=people,
        services=ServiceType.objects.filter(is_active=True).order_by("code"),
    )


def _branch_time(value: dt.datetime, branch) -> dt.datetime:
    """The slip's clock time is the branch's, whatever zone the form parsed it in."""
    return timezone.make_aware(value.replace(tzinfo=None), branch.tz)


@role_required(*MAKERS)
@require_http_methods(["GET", "POST"])
def paper_entry(request):
    branch = _own_branch(request.user)
    form = _paper_form(request, branch)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        slip = Slip(key=uuid.uuid4(), counter=data.pop("counter"), teller=data.pop("teller"),
                    service_code=data.pop("service_type").code,
                    served_at=_branch_time(data.pop("served_at"), branch),
                    recorded_at=_branch_time(data.pop("recorded_at"), branch), **data)
        try:
            ledger_review.ledger_paper_enter(maker=request.user, slip=slip)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Slip entered: it waits for a second person's approval."))
            return redirect("continuity:ledger-paper")
    mine = _entries(request.user).filter(source=LedgerSource.PAPER, entered_by=request.user)
    return render(request, "continuity/ledger_paper.html",
                  {"form": form, "branch": branch, "mine": mine.order_by("-synced_at")[:20]},
                  status=400 if form.errors else 200)


@role_required(*COUNTER_ROLES)
@require_GET
def console_offline(request, point_id: int):
    """The page the console's service worker keeps for when the console cannot be loaded."""
    point = counter_for_user(request.user, point_id, **CONSOLE)
    return render(request, "continuity/console_offline.html", {"point": point})
