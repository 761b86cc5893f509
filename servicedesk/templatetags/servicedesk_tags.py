"""`{% visit_survey survey %}`: the rating form of a service visit, for pages of apps above the
service desk (the counter's e-receipt) as well as its own survey page."""

from django import template

from servicedesk.forms import VisitSurveyForm

register = template.Library()


@register.inclusion_tag("servicedesk/_visit_survey.html", takes_context=True)
def visit_survey(context, survey, form=None, message="", next_url=""):
    form = form or VisitSurveyForm()
    chosen = str(form["score"].value() or "")
    options = [
        {
            "value": value,
            "label": label,
            "stars": "★" * value + "☆" * (5 - value),
            "checked": str(value) == chosen,
        }
        for value, label in form.fields["score"].choices
    ]
    return {
        "survey": survey,
        "form": form,
        "options": options,
        "message": message,
        "next_url": next_url,
        "csrf_token": context.get("csrf_token"),
    }
