from django import forms
from django.contrib.auth import get_user_model
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from branches.models import Branch, ServiceType
from branches.roles import BRANCH_SERVICE_ROLES
from core import widgets
from outreach.models import Eligibility, IdentityMethod, PhotoKind


class VisitRequestForm(forms.Form):
    branch = forms.ModelChoiceField(
        label=_("Branch"), queryset=Branch.objects.filter(is_active=True), empty_label=None
    )
    service_type = forms.ModelChoiceField(
        label=_("What do you need done?"),
        queryset=ServiceType.objects.filter(is_active=True),
        empty_label=None,
    )
    eligibility = forms.ChoiceField(
        label=_("Why can't you come to the branch?"), choices=Eligibility.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed for a disability or being bedridden, e.g. after a stroke."),
    )
    address = forms.CharField(label=_("Address to visit"), max_length=200)
    customer_phone = forms.CharField(
        label=_("Customer's mobile number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    def __init__(self, *args, staff: bool, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        if branches is not None:
            self.fields["branch"].queryset = branches
        if staff:
            self.fields["customer_phone"].required = True
        else:
            del self.fields["customer_phone"]


class ScheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Visit time"), widget=widgets.DateTimeInput()
    )
    lead_staff = forms.ModelChoiceField(label=_("Lead staff"), queryset=None)
    second_staff = forms.ModelChoiceField(label=_("Second staff"), queryset=None)

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        staff = (
            get_user_model()
            .objects.filter(
                staff_profile__branch=branch,
                staff_profile__role__in=list(BRANCH_SERVICE_ROLES),
                is_active=True,
            )
            .order_by("last_name", "first_name")
        )
        for name in ("lead_staff", "second_staff"):
            self.fields[name].queryset = staff
            self.fields[name].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class IdentityForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How was the identity checked?"), choices=IdentityMethod.choices, widget=forms.RadioSelect
    )
    both_present = forms.BooleanField(label=_("Both staff are present"), required=False)


class PhotoForm(forms.Form):
    kind = forms.ChoiceField(label=_("The photo shows"), choices=PhotoKind.choices)
    photo = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why cancel?"), max_length=200)


class NavImportForm(forms.Form):
    file = forms.FileField(
        label=_("Daily NAV file (CSV: product,date,nav)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class HoldingsImportForm(forms.Form):
    file = forms.FileField(
        label=_("Holdings file (CSV)"),
        # The columns are the file's own names, not words to translate.
        help_text=mark_safe("<code>customer,product,units,purchase_nav,purchased_on,wealth_manager[,sold_on]</code>"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
