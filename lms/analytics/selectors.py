"""Reads behind the analytics reports. Each report costs a constant number of queries, whatever the size of
the class or programme (tests/lms/analytics assert it)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import groupby

from competitions.selectors.alignment import (
    AlignmentGrid,
    CriterionColumn,
    TaskBuilding,
    alignment_grid,
    tasks_building,
)
from courses.models import Cohort, Competency, CourseOutcome, CoursePage, Programme, Track
from courses.selectors import (
    ClassAttainment,
    class_attainment,
    courses_building,
    framework_competencies,
    programme_courses,
    programme_outcomes,
)
from courses.terms import Term
from portfolios.transcripts.selectors import EmployerImportance, employer_importance

HUNDRED = Decimal(100)


# --- Alignment matrix ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeaderGroup:
    """A run of columns (or rows) under one heading: a competition, a round, a task; a course."""

    label: str
    span: int
    item: object


@dataclass
class AlignmentReport:
    programme: Programme
    courses: list[CoursePage]
    outcomes: list[CourseOutcome]
    grid: AlignmentGrid
    unassessed_outcomes: list[CourseOutcome]
    unbuilt_competencies: list[Competency]

    @property
    def columns(self) -> list[CriterionColumn]:
        return self.grid.columns

    @property
    def unaligned_criteria(self) -> list[CriterionColumn]:
        return self.grid.unaligned

    def weight(self, outcome: CourseOutcome, column: CriterionColumn) -> Decimal | None:
        return self.grid.weights.get((outcome.pk, column.criterion.pk))

    def column_groups(self, level: str) -> list[HeaderGroup]:
        """Header runs for ``level`` "competition", "round" or "task", left to right."""
        groups = []
        for item, run in groupby(self.columns, key=lambda column: getattr(column, level)):
            groups.append(HeaderGroup(label=getattr(item, "title", str(item)), span=len(list(run)), item=item))
        return groups

    def rows(self) -> list[tuple[CourseOutcome, list[Decimal | None]]]:
        return [(outcome, [self.weight(outcome, column) for column in self.columns]) for outcome in self.outcomes]

    def row_groups(self) -> list[tuple[Track | None, list[tuple[CoursePage, list[tuple[CourseOutcome, list]]]]]]:
        """The rows by track, then by course, in the programme's order (courses without a track come last)."""
        return [
            (track, [(course, list(rows)) for course, rows in groupby(track_rows, key=lambda row: row[0].course)])
            for track, track_rows in groupby(self.rows(), key=lambda row: row[0].course.track)
        ]


def alignment_report(*, programme: Programme) -> AlignmentReport:
    courses = programme_courses(programme=programme)
    outcomes = programme_outcomes(courses=courses)
    grid = alignment_grid(courses=courses)
    assessed = grid.assessed_outcome_ids()
    built = courses_building(courses=courses)
    return AlignmentReport(
        programme=programme,
        courses=courses,
        outcomes=outcomes,
        grid=grid,
        unassessed_outcomes=[outcome for outcome in outcomes if outcome.pk not in assessed],
        unbuilt_competencies=[
            competency
            for competency in framework_competencies(framework=programme.framework)
            if competency.pk not in built
        ],
    )


# --- Change between terms -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TermChangeRow:
    competency: Competency
    first_mean: Decimal | None
    second_mean: Decimal | None
    first_mastery_share: Decimal
    second_mastery_share: Decimal

    @property
    def change(self) -> Decimal | None:
        if self.first_mean is None or self.second_mean is None:
            return None
        return self.second_mean - self.first_mean

    @property
    def mastery_change(self) -> Decimal:
        return self.second_mastery_share - self.first_mastery_share


@dataclass
class TermChangeReport:
    cohort: Cohort
    first: Term
    second: Term
    first_attainment: ClassAttainment
    second_attainment: ClassAttainment
    rows: list[TermChangeRow] = field(default_factory=list)

    @property
    def first_as_of(self) -> date:
        return self.first_attainment.as_of

    @property
    def second_as_of(self) -> date:
        return self.second_attainment.as_of

    @property
    def second_in_progress(self) -> bool:
        return self.second_as_of < self.second.ends_on


def term_change_report(*, cohort: Cohort, first: Term, second: Term, today: date) -> TermChangeReport:
    """The class at the end of two terms: the work done by each term's last day (or by ``today``, for a term
    still in progress)."""
    before = class_attainment(cohort=cohort, as_of=min(first.ends_on, today))
    after = class_attainment(cohort=cohort, as_of=min(second.ends_on, today))
    rows = [
        TermChangeRow(
            competency=early.competency,
            first_mean=early.mean,
            second_mean=late.mean,
            first_mastery_share=early.mastery_share,
            second_mastery_share=late.mastery_share,
        )
        for early, late in zip(before.distributions, after.distributions, strict=True)
    ]
    return TermChangeReport(
        cohort=cohort, first=first, second=second, first_attainment=before, second_attainment=after, rows=rows
    )


# --- Industry-demand gap ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemandGapRow:
    """One competency of the class against what employers ask for.

    - ``attainment``: the class's mean (a student who has not attained it counts as 0) as a share of the mastery
      level, 0–100, capped at 100;
    - ``demand``: the framework's industry-demand weight (0–100), averaged with the employers' answers on
      transcripts (importance 1–5 put on the same 0–100 scale) when there are any;
    - ``gap``: demand × the share of the way to mastery the class still has to go, 0–100. A competency employers
      rate 80 that the class has reached half-way on has a gap of 40.
    """

    competency: Competency
    mean: Decimal | None
    mastery_share: Decimal
    attainment: Decimal
    framework_weight: int
    employers: EmployerImportance | None
    demand: Decimal
    gap: Decimal
    courses: list[CoursePage]
    tasks: list[TaskBuilding]


@dataclass
class DemandGapReport:
    cohort: Cohort
    attainment: ClassAttainment
    rows: list[DemandGapRow]  # largest gap first


def _share_of_mastery(mean: Decimal | None, mastery_points: Decimal) -> Decimal:
    if mean is None or not mastery_points:
        return Decimal(0)
    return min(mean / mastery_points * HUNDRED, HUNDRED).quantize(Decimal("0.1"))


def demand_gap_report(*, cohort: Cohort) -> DemandGapReport:
    attainment = class_attainment(cohort=cohort)
    competency_ids = [competency.pk for competency in attainment.competencies]
    employers = employer_importance(competency_ids=competency_ids)
    courses = courses_building(courses=programme_courses(programme=attainment.cohort.programme))
    tasks = tasks_building(competency_ids=competency_ids)
    rows = []
    for distribution in attainment.distributions:
        competency = distribution.competency
        answers = employers.get(competency.pk)
        demand = Decimal(competency.demand_weight)
        if answers is not None:
            demand = ((demand + answers.weight) / 2).quantize(Decimal("0.1"))
        share = _share_of_mastery(distribution.mean, attainment.mastery_points)
        rows.append(
            DemandGapRow(
                competency=competency,
                mean=distribution.mean,
                mastery_share=distribution.mastery_share,
                attainment=share,
                framework_weight=competency.demand_weight,
                employers=answers,
                demand=demand,
                gap=(demand * (HUNDRED - share) / HUNDRED).quantize(Decimal("0.1")),
                courses=courses.get(competency.pk, []),
                tasks=tasks.get(competency.pk, []),
            )
        )
    rows.sort(key=lambda row: (-row.gap, -row.demand, row.competency.sort_order, row.competency.code))
    return DemandGapReport(cohort=attainment.cohort, attainment=attainment, rows=rows)
