"""Form widgets for the dates people enter: the browser's own picker (keyboard and screen reader
work as the person is used to), always given ISO values.

A picker (`<input type="date">`, `datetime-local`, `month`) accepts only ISO values. Django renders
a value in the active language's first input format, and for Chinese that is 2026/12/07: the
picker drops it and the field shows empty. These widgets always render ISO; the forms keep
accepting ISO whatever the language (Django adds the ISO formats to every language's list).

The picker itself shows the PC's order (mm/dd/yyyy on an English Chromium), not the page's:
`static/branchsvc/dates.js` spells the chosen date out beside it in the page's language.
"""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m")
