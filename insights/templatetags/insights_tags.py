from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from insights import kpis

register = template.Library()


@register.filter
def kpi_display(kpi, value) -> str:
    return kpis.display(kpi, value)


@register.simple_tag
def table_rows(table) -> str:
    """The table body, built here rather than in template loops: a year by day is 365 rows of a
    dozen cells, and the template engine would spend most of the page's time on them."""
    rows = []
    for row in table.rows:
        cells = []
        for index, cell in enumerate(row):
            text = escape(cell.text)
            if cell.link:
                text = format_html('<a href="{}">{}</a>', cell.link, cell.text)
            if index == 0:
                cells.append(format_html('<th scope="row">{}</th>', text))
            else:
                cells.append(format_html('<td class="{}">{}</td>', cell.css, text))
        rows.append(mark_safe("<tr>" + "".join(cells) + "</tr>"))  # noqa: S308 - parts escaped above
    return mark_safe("\n".join(rows))  # noqa: S308 - parts escaped above
