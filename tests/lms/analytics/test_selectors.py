"""The reports' figures, checked against the hand calculations in conftest.py."""

from datetime import date
from decimal import Decimal

import pytest

from courses.selectors import class_attainment
from courses.terms import Term
from lms.analytics import selectors

pytestmark = pytest.mark.django_db


def by_code(rows, attribute="competency"):
    return {getattr(row, attribute).code: row for row in rows}


def test_the_class_distribution_counts_each_level_and_the_share_at_mastery(analytics):
    report = class_attainment(cohort=analytics.cohort)
    rows = by_code(report.distributions)
    assert [competency.code for competency in report.competencies] == ["TRADE", "COMM", "DATA"]
    assert rows["TRADE"].counts == [1, 0, 1, 1, 1]
    assert (rows["TRADE"].mastered, rows["TRADE"].mastery_share, rows["TRADE"].mean) == (
        2,
        Decimal("0.5"),
        Decimal("2.25"),
    )
    assert rows["COMM"].counts == [2, 0, 1, 1, 0]
    assert (rows["COMM"].mastered, rows["COMM"].mastery_share, rows["COMM"].mean) == (
        1,
        Decimal("0.25"),
        Decimal("1.25"),
    )
    assert rows["DATA"].counts == [4, 0, 0, 0, 0]
    assert (rows["DATA"].mastered, rows["DATA"].mean) == (0, Decimal("0.00"))


def test_the_heat_map_cells_are_the_level_each_student_reached(analytics):
    report = class_attainment(cohort=analytics.cohort)
    s1, s2, s3, s4 = analytics.students
    names = [level.name for level in report.levels]
    cells = {
        student.username: [
            names[index] if (index := report.level_index(student.pk, c.pk)) is not None else None
            for c in report.competencies
        ]
        for student in (s1, s2, s3, s4)
    }
    assert cells == {
        "s1": ["Exemplary", "Proficient", None],
        "s2": ["Proficient", None, None],
        "s3": ["Developing", "Developing", None],
        "s4": [None, None, None],
    }
    assert [e.student.username for e in report.enrolments] == ["s1", "s2", "s3", "s4"]


def test_as_of_counts_only_the_work_done_by_that_day(analytics):
    report = class_attainment(cohort=analytics.cohort, as_of=Term(2025, True).ends_on)
    rows = by_code(report.distributions)
    assert (rows["TRADE"].mean, rows["TRADE"].mastered) == (Decimal("1.50"), 1)
    assert (rows["COMM"].mean, rows["COMM"].mastered) == (Decimal("0.00"), 0)


def test_the_change_between_terms(analytics):
    report = selectors.term_change_report(
        cohort=analytics.cohort, first=Term(2025, True), second=Term(2025, False), today=date(2026, 11, 30)
    )
    rows = by_code(report.rows)
    assert (rows["TRADE"].first_mean, rows["TRADE"].second_mean, rows["TRADE"].change) == (
        Decimal("1.50"),
        Decimal("2.25"),
        Decimal("0.75"),
    )
    assert (rows["TRADE"].first_mastery_share, rows["TRADE"].second_mastery_share) == (Decimal("0.25"), Decimal("0.5"))
    assert rows["TRADE"].mastery_change == Decimal("0.25")
    assert (rows["COMM"].first_mean, rows["COMM"].second_mean, rows["COMM"].change) == (
        Decimal("0.00"),
        Decimal("1.25"),
        Decimal("1.25"),
    )


def test_the_demand_gap_is_ranked_and_calculated_as_documented(analytics):
    report = selectors.demand_gap_report(cohort=analytics.cohort)
    assert [row.competency.code for row in report.rows] == ["DATA", "COMM", "TRADE"]
    rows = by_code(report.rows)
    trade, comm, data = rows["TRADE"], rows["COMM"], rows["DATA"]
    assert (trade.attainment, trade.framework_weight, trade.demand, trade.gap) == (
        Decimal("75.0"),
        80,
        Decimal("90.0"),
        Decimal("22.5"),
    )
    assert (trade.employers.mean, trade.employers.answers, trade.employers.weight) == (
        Decimal("5.00"),
        1,
        Decimal("100.0"),
    )
    assert (comm.attainment, comm.demand, comm.gap, comm.employers) == (
        Decimal("41.7"),
        Decimal("60"),
        Decimal("35.0"),
        None,
    )
    assert (data.attainment, data.demand, data.gap) == (Decimal("0"), Decimal("40"), Decimal("40.0"))


def test_the_demand_gap_names_what_builds_each_competency(analytics):
    rows = by_code(selectors.demand_gap_report(cohort=analytics.cohort).rows)
    assert [course.code for course in rows["TRADE"].courses] == ["EC101", "EC102"]
    assert [course.code for course in rows["COMM"].courses] == ["EC101", "EC102"]
    assert rows["DATA"].courses == []
    assert [entry.task.title for entry in rows["TRADE"].tasks] == ["Listing"]
    assert [entry.task.title for entry in rows["COMM"].tasks] == ["Email"]
    assert rows["DATA"].tasks == []


def test_the_alignment_matrix_rows_columns_and_weights(analytics):
    report = selectors.alignment_report(programme=analytics.programme)
    assert [(o.course.code, o.code) for o in report.outcomes] == [("EC101", "LO1"), ("EC101", "LO2"), ("EC102", "LO3")]
    assert [(c.task.title, c.criterion.title) for c in report.columns] == [
        ("Listing", "Quality"),
        ("Listing", "Speed"),
        ("Email", "Tone"),
    ]
    assert [weights for _outcome, weights in report.rows()] == [
        [Decimal("0.80"), None, None],
        [None, None, Decimal("0.60")],
        [None, None, None],
    ]
    assert [(g.label, g.span) for g in report.column_groups("competition")] == [("Skills contest", 3)]
    assert [(g.label, g.span) for g in report.column_groups("task")] == [("Listing", 2), ("Email", 1)]


def test_the_alignment_gaps(analytics):
    report = selectors.alignment_report(programme=analytics.programme)
    assert [o.code for o in report.unassessed_outcomes] == ["LO3"]
    assert [c.criterion.title for c in report.unaligned_criteria] == ["Speed"]
    assert [c.code for c in report.unbuilt_competencies] == ["DATA"]


def test_a_superseded_employer_answer_does_not_count(analytics):
    from portfolios.transcripts.selectors import employer_importance

    answers = employer_importance(competency_ids=[analytics.trade.pk, analytics.comm.pk])
    assert list(answers) == [analytics.trade.pk]
    assert answers[analytics.trade.pk].mean == Decimal("5.00")


def test_a_term_in_progress_counts_the_work_done_so_far(analytics):
    # Spring 2026 is in progress on 15 March: s1's COMM (1 March) and s3's work (10 March) count, s2's 1 April not.
    report = selectors.term_change_report(
        cohort=analytics.cohort, first=Term(2025, True), second=Term(2025, False), today=date(2026, 3, 15)
    )
    assert report.second_as_of == date(2026, 3, 15) and report.second_in_progress
    rows = by_code(report.rows)
    # TRADE: s1 4, s2 2 (the 4 of 1 April not yet), s3 2 → (4 + 2 + 2 + 0) / 4 = 2.00
    assert rows["TRADE"].second_mean == Decimal("2.00")


def test_what_builds_a_competency_lists_each_course_and_task_once(analytics):
    from competitions.models import Criterion, CriterionAlignment
    from courses.models import CourseOutcome, OutcomeAlignment

    # A second outcome of EC101 aligned to TRADE, assessed by a second criterion of the same task. The alignments
    # have their own sort orders, which a DISTINCT over the model's default ordering would keep apart.
    lo4 = CourseOutcome.objects.create(course=analytics.ec101, code="LO4", description="Outcome LO4", sort_order=4)
    OutcomeAlignment.objects.create(outcome=lo4, competency=analytics.trade, weight=Decimal("1"), sort_order=7)

    criterion = Criterion.objects.create(task=analytics.listing, title="Photos", weight=1, max_points=10, sort_order=3)
    CriterionAlignment.objects.create(criterion=criterion, outcome=lo4, weight=Decimal("1"), sort_order=5)
    rows = by_code(selectors.demand_gap_report(cohort=analytics.cohort).rows)
    assert [course.code for course in rows["TRADE"].courses] == ["EC101", "EC102"]
    assert [entry.task.title for entry in rows["TRADE"].tasks] == ["Listing"]
