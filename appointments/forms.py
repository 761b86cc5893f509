from django import forms
from django.utils.translation import gettext_lazy as _

from appointments.models import SeriesRule, ServiceMode
from branches.models import ServiceType
from core import widgets


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "autofocus": True}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


class SlotForm(forms.Form):
    slot = forms.CharField(label=_("Time"), max_length=20)
    mode = forms.ChoiceField(
        label=_("How would you like to be served?"),
        choices=ServiceMode.choices,
        initial=ServiceMode.STAFF,
        widget=forms.RadioSelect,
    )


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Booking code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}
        ),
    )


class SeriesForm(forms.Form):
    """A recurring booking: the service, how it repeats, the time and how many dates."""

    service_type = forms.ModelChoiceField(label=_("Service"), queryset=None, empty_label=None)
    rule = forms.ChoiceField(label=_("Repeats"), choices=SeriesRule.choices, widget=forms.RadioSelect,
                             initial=SeriesRule.NTH_WORKING_DAY)
    nth = forms.IntegerField(label=_("Which working day of the month"), min_value=1, max_value=10, initial=1,
                             help_text=_("Public holidays and make-up working days follow the official "
                                         "calendar."))
    first_day = forms.DateField(label=_("From"), widget=widgets.DateInput())
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time", "step": 1800}),
                           initial="09:30")
    count = forms.IntegerField(label=_("How many times"), min_value=1, max_value=12, initial=6)
    customer_phone = forms.CharField(label=_("Customer's mobile number"), max_length=20, required=False,
                                     widget=forms.TextInput(attrs={"inputmode": "tel"}))

    def __init__(self, *args, branch, staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = ServiceType.objects.filter(
            is_active=True, service_points__branch=branch
        ).distinct()
        if staff:
            self.fields["customer_phone"].required = True
        else:
            del self.fields["customer_phone"]


class GroupSessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    location = forms.CharField(label=_("Room"), max_length=120, required=False)
    start = forms.DateTimeField(
        label=_("Starts"), widget=widgets.DateTimeInput()
    )
    minutes = forms.IntegerField(label=_("Minutes"), min_value=10, max_value=480, initial=60)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500, initial=20)
    waitlist_limit = forms.IntegerField(
        label=_("Waiting list places"), min_value=0, max_value=200, initial=10
    )
