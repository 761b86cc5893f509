from django import forms
from django.utils.translation import gettext_lazy as _

from environment.kinds import Kind


class ThresholdForm(forms.Form):
    low = forms.DecimalField(label=_("Lowest"), required=False, max_digits=9, decimal_places=2)
    high = forms.DecimalField(label=_("Highest"), required=False, max_digits=9, decimal_places=2)


class SensorForm(forms.Form):
    key = forms.SlugField(label=_("Sensor key"), max_length=40,
                          help_text=_("The last part of the MQTT topic the sensor publishes to."))
    kind = forms.ChoiceField(label=_("Measures"), choices=Kind.choices)
    location = forms.CharField(label=_("Location"), max_length=60, required=False)


HOURS = {6: _("6 hours"), 24: _("24 hours"), 168: _("7 days")}
