from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from branches.models import Branch, Department
from servicedesk.models import Category, Channel, Priority, VisitSurvey, WorkOrderKind
from servicedesk.uploads import read_checked

STAFF_CHANNELS = [
    (c.value, c.label) for c in (Channel.COUNTER, Channel.LOBBY, Channel.PHONE, Channel.LETTER, Channel.STAFF)
]


def _leaf_categories():
    return Category.objects.filter(level=3).select_related("parent__parent")


class StaffWorkOrderForm(forms.Form):
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=_("Type"), choices=WorkOrderKind.choices)
    channel = forms.ChoiceField(label=_("Received through"), choices=STAFF_CHANNELS)
    customer_no = forms.CharField(label=_("Customer number"), max_length=20, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    category = forms.ModelChoiceField(
        label=_("Category (empty: suggest from the text)"), queryset=Category.objects.none(), required=False
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    complex_case = forms.BooleanField(label=_("Complex case"), required=False)

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        self.fields["category"].queryset = _leaf_categories()
        self.fields["category"].label_from_instance = lambda c: c.path()


ATTACHMENT_TYPES = FileExtensionValidator(["jpg", "jpeg", "png", "pdf"])


def attachment_size(file) -> None:
    if file.size > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        raise ValidationError(_("The file is too large."))


def attachment_content(file) -> None:
    if not read_checked(file):
        raise ValidationError(_("The file's content is not a JPG, PNG or PDF as its name says, "
                                "or the picture is too large to open."))


class CustomerComplaintForm(forms.Form):
    description = forms.CharField(
        label=_("What went wrong?"), widget=forms.Textarea(attrs={"rows": 5}), min_length=5, max_length=4000
    )
    file = forms.FileField(
        label=_("Photo or document (optional)"),
        required=False,
        validators=[ATTACHMENT_TYPES, attachment_size, attachment_content],
    )


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    customer_visible = forms.BooleanField(label=_("Visible to the customer"), required=False)


class TextForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class SurveyForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How likely are you to recommend us? (0–10)"),
        coerce=int,
        choices=[(i, str(i)) for i in range(11)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class VisitSurveyForm(forms.Form):
    """Five levels, each with its words (not only stars), as large radio buttons."""

    score = forms.TypedChoiceField(
        label=_("How satisfied are you with this visit?"),
        coerce=int,
        choices=VisitSurvey.Score.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a score from 1 to 5."),
            "invalid_choice": _("Choose a score from 1 to 5."),
        },
    )
    comment = forms.CharField(
        label=_("Anything we should know? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File (JPG, PNG or PDF)"),
                           validators=[ATTACHMENT_TYPES, attachment_size, attachment_content])
    customer_visible = forms.BooleanField(label=_("Visible to the customer"), required=False)
