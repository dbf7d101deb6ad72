"""The reports' charts: lms.analytics reports turned into themes' SVG charts (which know nothing of reports)."""

from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.selectors import ClassAttainment
from lms.analytics.selectors import DemandGapReport, TermChangeReport
from themes.bar_charts import DumbbellRow, StackedBar, dumbbell_chart, stacked_bar_chart
from themes.charts import format_number
from themes.heat_map import HeatLevel, HeatRow, heat_map, level_colours
from themes.templatetags.themes_tags import person_name

#: Alignment-matrix cells are shaded in five steps of weight: (upper bound, CSS class).
ALIGNMENT_SHADES = [
    (Decimal("0.2"), "weight-1"),
    (Decimal("0.4"), "weight-2"),
    (Decimal("0.6"), "weight-3"),
    (Decimal("0.8"), "weight-4"),
    (Decimal("1"), "weight-5"),
]

MISSING_COLOUR = "#ffffff"


def whole_percent(share: Decimal) -> str:
    """A share (0–1) as a whole percentage, rounded half up: 0.625 → "63"."""
    return f"{(share * 100).quantize(Decimal('1'), rounding=ROUND_HALF_UP):f}"


def alignment_shade(weight: Decimal | None) -> str:
    if weight is None:
        return ""
    return next(css for bound, css in ALIGNMENT_SHADES if weight <= bound)


def heat_levels(report: ClassAttainment) -> list[HeatLevel]:
    """The scale's levels with their colours: each level's own, else a shade by rank."""
    shades = level_colours(len(report.levels)) if report.levels else []
    return [
        HeatLevel(name=level.name, colour=level.colour or shades[index]) for index, level in enumerate(report.levels)
    ]


def _mastered_note(report: ClassAttainment, student_id: int) -> str:
    mastered = sum(
        1
        for competency in report.competencies
        if (f := report.figures.get(student_id, {}).get(competency.pk)) and f.is_mastered
    )
    return ngettext(
        "%(mastered)s of %(total)s competency mastered",
        "%(mastered)s of %(total)s competencies mastered",
        len(report.competencies),
    ) % {"mastered": mastered, "total": len(report.competencies)}


def class_heat_map(report: ClassAttainment, *, ledger_url: str = "") -> SafeString:
    rows = [
        HeatRow(
            label=f"{enrolment.student_number} {person_name(enrolment.student)}",
            cells=[report.level_index(enrolment.student_id, competency.pk) for competency in report.competencies],
            href=f"{ledger_url}?{urlencode({'student': enrolment.student.get_username()})}" if ledger_url else "",
            note=_mastered_note(report, enrolment.student_id),
        )
        for enrolment in report.enrolments
    ]
    return heat_map(
        rows=rows,
        columns=[competency.code for competency in report.competencies],
        column_titles=[f"{competency.code} {competency.name}" for competency in report.competencies],
        levels=heat_levels(report),
        title=_("Attainment of %(cohort)s by student and competency") % {"cohort": report.cohort},
        description=_(
            "One row per student, one column per competency; each cell is coloured by the level the student has "
            "reached. The table below gives the same figures per competency."
        ),
        missing_label=_("Not yet attained"),
        id_prefix="class-heat-map",
    )


def distribution_chart(report: ClassAttainment) -> SafeString:
    series = [HeatLevel(name=_("Not yet attained"), colour=MISSING_COLOUR), *heat_levels(report)]
    bars = [
        StackedBar(
            label=f"{row.competency.code} {row.competency.name}",
            counts=row.counts,
            note=_("%(percent)s%% at mastery") % {"percent": whole_percent(row.mastery_share)},
        )
        for row in report.distributions
    ]
    return stacked_bar_chart(
        bars=bars,
        series=series,
        title=_("How many students reached each level, per competency"),
        description=_("Each bar is the whole class, split by level; the figure after it is the share at mastery."),
        id_prefix="class-distribution",
    )


def term_change_chart(report: TermChangeReport) -> SafeString:
    rows = [
        DumbbellRow(
            label=f"{row.competency.code} {row.competency.name}",
            first=float(row.first_mean) if row.first_mean is not None else None,
            second=float(row.second_mean) if row.second_mean is not None else None,
        )
        for row in report.rows
    ]
    return dumbbell_chart(
        rows=rows,
        first_label=_("End of %(term)s") % {"term": report.first.label},
        second_label=_("End of %(term)s") % {"term": report.second.label},
        maximum=float(report.second_attainment.max_points or 1),
        title=_("Class mean per competency at the end of two terms"),
        description=_("Each row joins the class's mean attainment at the end of the earlier term to the later one."),
    )


def demand_gap_chart(report: DemandGapReport) -> SafeString:
    rows = [
        DumbbellRow(
            label=f"{row.competency.code} {row.competency.name}",
            first=float(row.attainment),
            second=float(row.demand),
            note=_("gap %(gap)s") % {"gap": format_number(row.gap)},
        )
        for row in report.rows
    ]
    return dumbbell_chart(
        rows=rows,
        first_label=_("Class attainment (percentage of mastery)"),
        second_label=_("Industry demand (0–100)"),
        maximum=100.0,
        title=_("Class attainment against industry demand, largest gap first"),
        description=_(
            "Each row joins the class's attainment, as a share of the mastery level, to how strongly employers ask "
            "for the competency. The gap is the demand times the share of the way to mastery still to go."
        ),
    )
