from decimal import Decimal

from django import template

from lms.analytics import charts
from lms.analytics.selectors import AlignmentReport, HeaderGroup
from themes.charts import format_number

register = template.Library()


@register.filter
def column_groups(report: AlignmentReport, level: str) -> list[HeaderGroup]:
    return report.column_groups(level)


@register.filter
def alignment_shade(weight: Decimal | None) -> str:
    return charts.alignment_shade(weight)


@register.filter
def figure(value: Decimal | float | None) -> str:
    """2.5, 4, 3.25; an em dash for no value."""
    return "—" if value is None else format_number(value)


@register.filter
def whole_percent(share: Decimal) -> str:
    return charts.whole_percent(share)
