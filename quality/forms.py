import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.roles import Role
from core import widgets
from quality.access import inspectable_branches, is_head_office
from quality.models import Kind, Section
from quality.roles import QualityRole


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _person(obj)


class ScheduleForm(forms.Form):
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=None, to_field_name="code")
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    # People's names are data, in whatever script they are written ("no-i18n" for the language crawl).
    inspector = PersonChoice(
        label=_("Inspector or mystery shopper"),
        queryset=None,
        widget=forms.Select(attrs={"class": "no-i18n"}),
    )
    scheduled_for = forms.DateField(
        label=_("Date of the visit"), widget=widgets.DateInput()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = inspectable_branches(user).order_by("code")
        people = Q(staff_profile__role__in=[Role.HEAD_OFFICE_ADMIN, Role.BRANCH_ADMIN]) | Q(
            groups__name=QualityRole.INSPECTOR, staff_profile__isnull=False
        )
        if is_head_office(user):
            people |= Q(groups__name=QualityRole.MYSTERY_SHOPPER, staff_profile__isnull=True)
        else:
            self.fields["kind"].choices = [(Kind.INSPECTION, Kind.INSPECTION.label)]
            people = Q(pk=user.pk) | Q(groups__name=QualityRole.INSPECTOR, staff_profile__isnull=False)
        self.fields["inspector"].queryset = (
            get_user_model().objects.filter(people, is_active=True).distinct().order_by("username")
        )
        self.fields["inspector"].initial = user.pk
        self.fields["scheduled_for"].initial = timezone.localdate()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class CloseForm(forms.Form):
    evidence = forms.CharField(
        label=_("What was done"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence_photo = forms.FileField(
        label=_("Photo of the result"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class AssignForm(forms.Form):
    owner = PersonChoice(label=_("Owner"), queryset=None, widget=forms.Select(attrs={"class": "no-i18n"}))

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            get_user_model().objects.filter(staff_profile__branch=branch, is_active=True).order_by("username")
        )


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=widgets.DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=widgets.DateInput())

    def clean(self):
        data = super().clean()
        end = data.get("end") or timezone.localdate()
        start = data.get("start") or end - dt.timedelta(days=89)
        if start > end:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        data["start"], data["end"] = start, end
        return data


class ItemForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    section = forms.ChoiceField(label=_("Section"), choices=Section.choices)
    text_zh_hans = forms.CharField(label=_("Text (Chinese)"), max_length=200)
    text_en = forms.CharField(label=_("Text (English)"), max_length=200, required=False)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=10)


ItemFormSet = forms.formset_factory(ItemForm, extra=1, can_delete=True)


class PublishForm(forms.Form):
    note = forms.CharField(label=_("What changed"), max_length=200)
