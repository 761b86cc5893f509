"""Staff sign-in lockout (django-axes): per account across addresses, and per address.

An account locks after LOGIN_FAILURE_LIMIT wrong passwords from any number of addresses, so a
guesser cannot spread guesses over machines; an address locks after LOGIN_ADDRESS_FAILURE_LIMIT
wrong passwords for any accounts (higher, because a branch's staff share one address). Both last
LOGIN_LOCKOUT_MINUTES; a branch admin unlocks an account earlier (`staff_sign_in_unlock`).
"""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone


class AccountAndAddressLockout(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        # One query set per AXES_LOCKOUT_PARAMETERS entry: ["username"], then ["ip_address"].
        by_account, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials))
        address_locked = by_address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
        return max(by_account, settings.AXES_FAILURE_LIMIT if address_locked else 0)


def lockout_response(request, original_response=None, credentials=None):
    return render(request, "registration/locked_out.html",
                  {"minutes": settings.LOGIN_LOCKOUT_MINUTES}, status=429)


def locked_usernames(usernames) -> dict[str, timezone.datetime]:
    """Of these accounts, the ones locked now, with when the lock ends by itself."""
    window = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    rows = (AccessAttempt.objects.filter(username__in=list(usernames), attempt_time__gte=window)
            .values("username").annotate(failures=Sum("failures_since_start"),
                                         last=Max("attempt_time")))
    ends = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    return {row["username"]: row["last"] + ends for row in rows
            if row["failures"] >= settings.AXES_FAILURE_LIMIT}
