from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from continuity.models import IncidentLevel, Ticketing
from core import widgets
from counter.models import Outcome

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


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


class CloseIncidentForm(forms.Form):
    summary = forms.CharField(
        label=_("What happened and what was done"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PlaybookForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Level"), choices=IncidentLevel.choices, coerce=int)
    lobby_message_zh = forms.CharField(label=_("Lobby message (Chinese)"), max_length=200)
    lobby_message_en = forms.CharField(label=_("Lobby message (English)"), max_length=200)
    ticketing = forms.ChoiceField(label=_("Ticketing"), choices=Ticketing.choices)
    ticket_limit = forms.IntegerField(label=_("Most tickets waiting (when limited)"), min_value=0, initial=0)
    notify_head_office = forms.BooleanField(label=_("Notify head office"), required=False)
    steps = forms.CharField(
        label=_("Checklist: one step a line, minutes | step"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=4000,
    )

    def __init__(self, *args, playbook, **kwargs):
        initial = {
            name: getattr(playbook, name)
            for name in (
                "level",
                "lobby_message_zh",
                "lobby_message_en",
                "ticketing",
                "ticket_limit",
                "notify_head_office",
            )
        }
        initial["steps"] = "\n".join(f"{step['minutes']} | {step['text']}" for step in playbook.steps)
        super().__init__(*args, initial=initial, **kwargs)

    def clean_steps(self):
        steps = []
        for number, line in enumerate(self.cleaned_data["steps"].splitlines(), start=1):
            if not line.strip():
                continue
            minutes, bar, text = line.partition("|")
            if not bar or not minutes.strip().isdigit() or not text.strip():
                raise forms.ValidationError(
                    _("Line %(n)s: write the minutes, a bar, then the step.") % {"n": number}
                )
            steps.append({"minutes": int(minutes), "text": text.strip()[:300]})
        if not steps:
            raise forms.ValidationError(_("A plan needs at least one step."))
        return steps

    def clean(self):
        data = super().clean()
        if data.get("ticketing") == Ticketing.LIMITED and not data.get("ticket_limit"):
            self.add_error("ticket_limit", _("Say how many tickets may wait while tickets are limited."))
        return data

    def changes(self) -> dict:
        return dict(self.cleaned_data)


class LedgerDecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PaperSlipForm(forms.Form):
    """One paper slip of a full outage, as written (the times are the branch's clock time)."""

    counter = forms.ModelChoiceField(label=_("Counter"), queryset=None)
    teller = forms.ModelChoiceField(label=_("Teller who served"), queryset=None)
    service_type = forms.ModelChoiceField(label=_("Service"), queryset=None, to_field_name="code")
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    outcome_reason = forms.CharField(label=_("Reason (when not done)"), max_length=300, required=False)
    ticket_number = forms.CharField(label=_("Ticket number (if any)"), max_length=8, required=False)
    customer_name = forms.CharField(label=_("Customer's name"), max_length=100, required=False)
    customer_id_number = forms.CharField(label=_("Customer's ID number"), max_length=30, required=False)
    amount = forms.DecimalField(label=_("Amount (yuan)"), required=False, min_value=Decimal("0"),
                                max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    served_at = forms.DateTimeField(label=_("Served at (time on the slip)"), input_formats=[LOCAL_INPUT],
                                    widget=widgets.DateTimeInput())
    recorded_at = forms.DateTimeField(label=_("Written at (time on the slip)"), input_formats=[LOCAL_INPUT],
                                      widget=widgets.DateTimeInput())

    def __init__(self, *args, counters, tellers, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counter"].queryset = counters
        self.fields["teller"].queryset = tellers
        self.fields["teller"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
        self.fields["service_type"].queryset = services
