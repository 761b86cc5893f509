from django import forms
from django.utils.translation import gettext_lazy as _

from fees.models import FeeItem, Group, Method


class QuoteForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Service"), queryset=FeeItem.objects.all(), to_field_name="code")
    amount = forms.DecimalField(label=_("Amount (yuan)"), required=False, min_value=0, max_digits=14,
                                decimal_places=2)
    quantity = forms.IntegerField(label=_("How many"), min_value=1, max_value=1000, initial=1, required=False)
    groups = forms.MultipleChoiceField(label=_("I am one of"), choices=Group.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)


class FeeChangeForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    price = forms.DecimalField(label=_("Price (yuan)"), required=False, min_value=0, max_digits=12,
                               decimal_places=2)
    rate = forms.DecimalField(label=_("Rate (%)"), required=False, max_digits=7, decimal_places=4)
    minimum = forms.DecimalField(label=_("Minimum (yuan)"), required=False, min_value=0, max_digits=12,
                                 decimal_places=2)
    maximum = forms.DecimalField(label=_("Maximum (yuan)"), required=False, min_value=0, max_digits=12,
                                 decimal_places=2)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=200)
    waivers = forms.MultipleChoiceField(label=_("Waived for"), choices=Group.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple)
    effective_from = forms.DateField(label=_("Effective from"),
                                     widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Why"), max_length=300, required=False)
