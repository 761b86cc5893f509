from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class FraudReportForm(forms.Form):
    description = forms.CharField(
        label=_("What happened?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: my card was stolen; 20,000 yuan was just transferred out."),
    )
    amount = forms.DecimalField(
        label=_("Amount taken (yuan), if you know it"),
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
    )


class IdentifyForm(forms.Form):
    customer_no = forms.CharField(label=_("Customer number (after checking the ID)"), max_length=20)
