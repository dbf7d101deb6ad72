"""Every analytics table as an ExportTable (themes.exports turns it into CSV or XLSX). Figures are numbers, not
formatted text, so a spreadsheet can compute with them."""

from decimal import Decimal

from django.utils.translation import gettext as _

from courses.selectors import ClassAttainment
from lms.analytics.selectors import AlignmentReport, DemandGapReport, TermChangeReport
from themes.exports import ExportTable
from themes.templatetags.themes_tags import person_name


def percent(share: Decimal) -> Decimal:
    """A share (0–1) as a percentage with one decimal, as the other percentage columns."""
    return (share * 100).quantize(Decimal("0.1"))


def alignment_matrix(report: AlignmentReport) -> ExportTable:
    headers = [
        _("Course"),
        _("Track"),
        _("Outcome"),
        *(
            f"{column.competition.title} · {column.round.title} · {column.task.title} · {column.criterion.title}"
            for column in report.columns
        ),
    ]
    rows = (
        [
            f"{outcome.course.code} {outcome.course.title}",
            outcome.course.track.name if outcome.course.track else "",
            f"{outcome.code} {outcome.description}",
            *weights,
        ]
        for outcome, weights in report.rows()
    )
    return ExportTable(title=_("Alignment matrix"), headers=headers, rows=rows)


def unassessed_outcomes(report: AlignmentReport) -> ExportTable:
    return ExportTable(
        title=_("Outcomes no competition assesses"),
        headers=[_("Course"), _("Outcome"), _("Description")],
        rows=(
            [f"{outcome.course.code} {outcome.course.title}", outcome.code, outcome.description]
            for outcome in report.unassessed_outcomes
        ),
    )


def unaligned_criteria(report: AlignmentReport) -> ExportTable:
    return ExportTable(
        title=_("Criteria aligned to no outcome"),
        headers=[_("Competition"), _("Round"), _("Task"), _("Criterion")],
        rows=(
            [column.competition.title, column.round.title, column.task.title, column.criterion.title]
            for column in report.unaligned_criteria
        ),
    )


def competencies_without_courses(report: AlignmentReport) -> ExportTable:
    return ExportTable(
        title=_("Competencies no course builds"),
        headers=[_("Code"), _("Competency"), _("Industry demand")],
        rows=([c.code, c.name, c.demand_weight] for c in report.unbuilt_competencies),
    )


def class_attainment(report: ClassAttainment) -> ExportTable:
    """One row per student: each competency's figure (empty when not yet attained) and level."""
    headers = [_("Student number"), _("Student")]
    for competency in report.competencies:
        headers += [competency.code, _("%(code)s level") % {"code": competency.code}]
    rows = []
    for enrolment in report.enrolments:
        row: list = [enrolment.student_number, person_name(enrolment.student)]
        for competency in report.competencies:
            figure = report.figures.get(enrolment.student_id, {}).get(competency.pk)
            row += [figure.value if figure else None, figure.level.name if figure and figure.level else ""]
        rows.append(row)
    return ExportTable(title=_("Class attainment"), headers=headers, rows=rows)


def distribution(report: ClassAttainment) -> ExportTable:
    headers = [
        _("Code"),
        _("Competency"),
        _("Not yet attained"),
        *(level.name for level in report.levels),
        _("Students"),
        _("At or above mastery"),
        _("Share at mastery (%)"),
        _("Class mean"),
    ]
    rows = (
        [
            row.competency.code,
            row.competency.name,
            *row.counts,
            row.students,
            row.mastered,
            percent(row.mastery_share),
            row.mean,
        ]
        for row in report.distributions
    )
    return ExportTable(title=_("Distribution per competency"), headers=headers, rows=rows)


def term_change(report: TermChangeReport) -> ExportTable:
    first, second = report.first.label, report.second.label
    return ExportTable(
        title=_("Change between terms"),
        headers=[
            _("Code"),
            _("Competency"),
            _("Class mean, end of %(term)s") % {"term": first},
            _("Class mean, end of %(term)s") % {"term": second},
            _("Change"),
            _("Share at mastery (%%), end of %(term)s") % {"term": first},
            _("Share at mastery (%%), end of %(term)s") % {"term": second},
        ],
        rows=(
            [
                row.competency.code,
                row.competency.name,
                row.first_mean,
                row.second_mean,
                row.change,
                percent(row.first_mastery_share),
                percent(row.second_mastery_share),
            ]
            for row in report.rows
        ),
    )


def demand_gap(report: DemandGapReport) -> ExportTable:
    return ExportTable(
        title=_("Industry-demand gap"),
        headers=[
            _("Rank"),
            _("Code"),
            _("Competency"),
            _("Class mean"),
            _("Attainment (percentage of mastery)"),
            _("Share at mastery (%)"),
            _("Framework demand"),
            _("Employers' importance (1–5)"),
            _("Employer answers"),
            _("Demand"),
            _("Gap"),
            _("Courses that build it"),
            _("Competition tasks that build it"),
        ],
        rows=(
            [
                rank,
                row.competency.code,
                row.competency.name,
                row.mean,
                row.attainment,
                percent(row.mastery_share),
                row.framework_weight,
                row.employers.mean if row.employers else None,
                row.employers.answers if row.employers else 0,
                row.demand,
                row.gap,
                "; ".join(f"{course.code} {course.title}" for course in row.courses),
                "; ".join(f"{entry.competition.title} · {entry.task.title}" for entry in row.tasks),
            ]
            for rank, row in enumerate(report.rows, start=1)
        ),
    )
