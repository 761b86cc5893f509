"""The pages a person sees when something goes wrong: translated, in the site's layout, and JSON
under /api/ so an integrator never parses Django's English HTML."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def _respond(request, status: int, code: str, title: str, message: str):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": message, "code": code}, status=status,
                            json_dumps_params={"ensure_ascii": False})
    return render(request, "error.html", {"status": status, "title": title, "message": message},
                  status=status)


def bad_request(request, exception=None):
    return _respond(request, 400, "bad_request", _("Bad request"),
                    _("The request could not be understood. Please go back and try again."))


def permission_denied(request, exception=None):
    return _respond(request, 403, "permission_denied", _("No access"),
                    _("Your account may not open this page. If you need it, ask your branch "
                      "administrator for the right role."))


def page_not_found(request, exception=None):
    return _respond(request, 404, "not_found", _("Page not found"),
                    _("This page does not exist or has moved. Check the address, or start again "
                      "from the home page."))


def server_error(request):
    # No context processors here: the failure may be in one of them.
    return _respond(request, 500, "server_error", _("Something went wrong"),
                    _("The system could not finish this request. Nothing was changed; please try "
                      "again in a moment. If it happens again, tell branch staff."))


def csrf_failure(request, reason=""):
    return _respond(request, 403, "csrf_failed", _("Page expired"),
                    _("This page was open too long or your session changed. Reload the page and "
                      "try again."))
