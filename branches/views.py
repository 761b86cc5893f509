from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from branches.access import branch_for_user, role_required
from branches.lockout import locked_usernames
from branches.middleware import SESSION_DEVICE_HASH, SESSION_DEVICE_ID
from branches.models import Device, ServicePoint
from branches.roles import Role
from branches.services import device_issue_token, device_revoke, staff_sign_in_unlock


class DeviceLoginForm(forms.Form):
    token = forms.CharField(label=_("Device token"), max_length=200,
                            widget=forms.PasswordInput(attrs={"autocomplete": "off"}))

    def clean_token(self):
        device = Device.objects.by_token(self.cleaned_data["token"].strip())
        if device is None:
            raise forms.ValidationError(_("This device token is not valid or has been revoked."))
        self.device = device
        return self.cleaned_data["token"]


def device_login(request):
    """A kiosk, VTM or lobby screen signs in once with the token its branch admin issued."""
    form = DeviceLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # A device session is never also a person's session.
        logout(request)
        request.session[SESSION_DEVICE_ID] = form.device.pk
        request.session[SESSION_DEVICE_HASH] = form.device.token_hash
        return redirect("device-home")
    return render(request, "branches/device_login.html", {"form": form})


def device_home(request):
    """Send a signed-in device to its own screen (apps name it `device-home-<kind>`)."""
    device = request.device
    if device is None:
        return redirect("device-login")
    try:
        return redirect(reverse(f"device-home-{device.kind}"))
    except NoReverseMatch:
        return render(request, "branches/device_home.html", {"device": device})


@require_POST
def device_logout(request):
    request.session.pop(SESSION_DEVICE_ID, None)
    request.session.pop(SESSION_DEVICE_HASH, None)
    return redirect("device-login")


class DeviceIssueForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Device.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    service_point = forms.ModelChoiceField(label=_("Service point"), required=False,
                                           queryset=ServicePoint.objects.none())


@role_required(Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN)
def device_list(request, code):
    branch = branch_for_user(request.user, code, write=True)
    form = DeviceIssueForm(request.POST or None)
    form.fields["service_point"].queryset = branch.service_points.exclude(
        kind=ServicePoint.Kind.COUNTER)
    token = None
    if request.method == "POST" and form.is_valid():
        device, token = device_issue_token(actor=request.user, branch=branch,
                                           kind=form.cleaned_data["kind"],
                                           name=form.cleaned_data["name"],
                                           service_point=form.cleaned_data["service_point"])
        messages.success(request, _("Device registered. Copy its token now: it is shown once."))
        form = DeviceIssueForm()
        form.fields["service_point"].queryset = branch.service_points.exclude(
            kind=ServicePoint.Kind.COUNTER)
    devices = branch.devices.select_related("service_point", "issued_by")
    return render(request, "branches/device_list.html",
                  {"branch": branch, "devices": devices, "form": form, "token": token})


@require_POST
@role_required(Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN)
def device_revoke_view(request, code, device_id):
    branch = branch_for_user(request.user, code, write=True)
    device = get_object_or_404(Device, branch=branch, pk=device_id)
    device_revoke(actor=request.user, device=device)
    messages.success(request, _("Device %(name)s can no longer connect.") % {"name": device.name})
    return redirect("device-list", code=branch.code)


def _branch_staff(branch):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(staff_profile__branch=branch).order_by("username")


@role_required(Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN)
def sign_in_locks(request, code):
    branch = branch_for_user(request.user, code, write=True)
    staff = {user.get_username(): user for user in _branch_staff(branch)}
    locked = [(staff[name], until) for name, until in sorted(locked_usernames(staff).items())]
    return render(request, "branches/sign_in_locks.html", {"branch": branch, "locked": locked})


@require_POST
@role_required(Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN)
def sign_in_unlock_view(request, code, user_id):
    branch = branch_for_user(request.user, code, write=True)
    user = get_object_or_404(_branch_staff(branch), pk=user_id)
    staff_sign_in_unlock(actor=request.user, branch=branch, user=user)
    messages.success(request, _("%(name)s can sign in again.") % {"name": user.get_username()})
    return redirect("sign-in-locks", code=branch.code)
