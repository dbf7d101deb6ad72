"""Template helpers for the competency overview: attainment figures drawn with the themes' charts.

themes draws from plain numbers and never imports courses; this module is the adapter from
``courses.attainment.Attainment`` to ``themes.charts``.
"""

from collections.abc import Sequence
from decimal import Decimal

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from courses.attainment import Attainment
from courses.models import METHOD_PARAMETER_DEFAULTS, CalculationMethod, EvidenceSourceKind
from themes.charts import RadarAxis, format_number, measure_bar, radar_chart

register = template.Library()


def _plain(value: Decimal) -> str:
    """2.50 → 2.5, 3.00 → 3: how a figure reads in a sentence."""
    return format_number(value)


def _figure_text(figure: Attainment) -> str:
    if figure.value is None:
        return _("not yet attained")
    return f"{figure.value} / {_plain(figure.max_points)}"


def radar_axes(figures: Sequence[Attainment]) -> list[RadarAxis]:
    """One axis per competency: the attainment (0 when not yet attained) against the mastery level.

    The code is the short label a crowded chart shows instead of code and name (the table repeats both).
    """
    return [
        RadarAxis(
            label=f"{figure.competency.code} {figure.competency.name}",
            value=figure.value,
            maximum=figure.max_points,
            reference=figure.mastery_points,
            value_text=_figure_text(figure),
            short_label=figure.competency.code,
        )
        for figure in figures
    ]


@register.simple_tag
def competency_radar(figures: Sequence[Attainment], id_prefix: str = "competency-radar") -> SafeString:
    """The radar chart of a student's attainment figures (an empty string when there are none)."""
    if not figures:
        return SafeString("")
    masteries = {figure.mastery_points for figure in figures}
    maxima = {figure.max_points for figure in figures}
    reference_label = (
        _("Mastery level (%(points)s)") % {"points": _plain(next(iter(masteries)))}
        if len(masteries) == 1
        else _("Mastery level")
    )
    description = (
        _("Attainment of each competency on a scale of 0 to %(max)s, against the mastery level.")
        % {"max": _plain(next(iter(maxima)))}
        if len(maxima) == 1
        else _("Attainment of each competency against the mastery level.")
    )
    return radar_chart(
        radar_axes(figures),
        title=_("Competency radar"),
        description=description,
        id_prefix=id_prefix,
        value_label=_("Attainment"),
        reference_label=reference_label,
        missing_text=_("not yet attained"),
    )


@register.simple_tag
def attainment_bar(figure: Attainment) -> SafeString:
    """The figure as a bar out of the scale's maximum, with the mastery level marked."""
    return measure_bar(figure.value, figure.max_points, reference=figure.mastery_points)


@register.simple_tag
def demand_bar(weight: int) -> SafeString:
    """An industry-demand weight (0–100) as a bar."""
    return measure_bar(Decimal(weight), Decimal(100), width=100)


@register.simple_tag
def method_explanation(figure: Attainment) -> str:
    """The calculation method and its parameter in words, as the framework applied it to this figure."""
    method = figure.method
    parameter = figure.parameter if figure.parameter is not None else METHOD_PARAMETER_DEFAULTS.get(method)
    if method == CalculationMethod.WEIGHTED_LATEST:
        return _(
            "Weighted latest, w = %(w)s: %(w)s × latest + %(rest)s × mean of earlier evidence (the latest day's "
            "score alone when there is no earlier evidence)."
        ) % {"w": _plain(parameter), "rest": _plain(Decimal(1) - parameter)}
    if method == CalculationMethod.DECAYING_AVERAGE:
        return _(
            "Decaying average, d = %(d)s: in date order, each day's score counts %(d)s and the average before it "
            "%(rest)s (D = %(rest)s × D before + %(d)s × score)."
        ) % {"d": _plain(parameter), "rest": _plain(Decimal(1) - parameter)}
    if method == CalculationMethod.N_TIMES_MASTERY:
        return _(
            "Mastered n times, n = %(n)s: the mean of the scores at or above the mastery level (%(mastery)s) once "
            "there are at least %(n)s of them; not yet attained before that."
        ) % {"n": _plain(parameter), "mastery": _plain(figure.mastery_points)}
    if method == CalculationMethod.HIGHEST:
        return _("Highest: the highest score among the evidence.")
    if method == CalculationMethod.LATEST:
        return _("Latest: the score of the most recent day's evidence (the mean when a day has several).")
    return _("Mean: the mean of all evidence scores, each counted by its weight (Σ weight × score ÷ Σ weight).")


@register.filter
def evidence_source_kind(kind: str) -> str:
    """The readable name of an evidence source kind."""
    try:
        return EvidenceSourceKind(kind).label
    except ValueError:
        return kind


@register.filter
def evidence_href(url: str) -> str:
    """The evidence row's link when it is a site path or an http(s) address; "" otherwise (never javascript:)."""
    url = str(url or "")
    if url.startswith("/") and not url.startswith("//"):
        return url
    if url.startswith(("https://", "http://")):
        return url
    return ""
