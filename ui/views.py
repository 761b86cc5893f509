from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from branches.access import user_role
from branches.roles import Role
from ui.icons import ICONS

# The tokens the gallery shows as swatches (the names of design.css's custom properties).
COLOUR_TOKENS = ["brand", "brand-strong", "ink", "muted", "line", "surface", "canvas",
                 "ok", "ok-soft", "warn", "warn-soft", "bad", "bad-soft", "info", "info-soft",
                 "disabled-bg", "highlight", "night"]
SPACE_TOKENS = range(1, 9)


@login_required
def gallery(request):
    role = user_role(request.user)
    if role is None or role == Role.CUSTOMER:
        raise PermissionDenied
    return render(request, "ui/gallery.html", {
        "colours": COLOUR_TOKENS, "spaces": SPACE_TOKENS, "icons": sorted(ICONS),
        "mode": request.GET.get("mode", ""),
    })
