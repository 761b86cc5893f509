from django import forms
from django.utils.translation import gettext_lazy as _

from core import widgets
from fees.models import CODE_HELP, RATE_HELP, SELLING_HELP, FeeItem, Group, Method, RateKind


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
                                     widget=widgets.DateInput())
    reason = forms.CharField(label=_("Why"), max_length=300, required=False)


class RateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RateKind.choices)
    code = forms.SlugField(label=_("Code"), max_length=40, help_text=CODE_HELP)
    name_zh_hans = forms.CharField(label=_("Name (Chinese)"), max_length=40)
    name_en = forms.CharField(label=_("Name (English)"), max_length=60)
    rate = forms.DecimalField(label=_("Rate"), max_digits=10, decimal_places=4, help_text=RATE_HELP)
    selling = forms.DecimalField(label=_("Selling rate"), required=False, max_digits=10, decimal_places=4,
                                 help_text=SELLING_HELP)
    effective_from = forms.DateField(
        label=_("Effective from"), widget=widgets.DateInput(),
        help_text=_("From the start of this day in the branch's local time."))
