from django import forms
from django.utils.translation import gettext_lazy as _

from appointments.models import ServiceMode


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
