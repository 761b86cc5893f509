"""Strings of Django's admin templates that Django's own zh_Hans catalogue lacks (the visually
hidden headers of the admin index's app tables). Listed here so makemessages keeps their
translations in the project catalogue (locale/), which takes precedence over Django's."""

from django.utils.translation import gettext_noop

ADMIN_INDEX_HEADERS = [gettext_noop("Model name"), gettext_noop("Add link"),
                       gettext_noop("Change or view list link")]
