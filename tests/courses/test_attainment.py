"""The attainment engine, method by method, against numbers worked out by hand.

Fixture (scale 1–4, mastery 3); competency C; outcome O1 aligned to C with weight 1, O2 with weight 0.5:
    r1  O1        2.00  2026-01-10
    r2  O2        4.00  2026-02-10
    r3  O1        3.00  2026-03-10
    r4  C direct  3.50  2026-03-10   (same day as r3)
As rows counting towards C (score, weight): (2, 1), (4, 0.5), (3, 1), (3.5, 1).
Days: 01-10 → 2.00; 02-10 → 4.00; 03-10 → (3 + 3.5) / 2 = 3.25.
"""

from datetime import date
from decimal import Decimal

import pytest

from courses.attainment import compute_attainment
from courses.models import CalculationMethod
from courses.selectors import attainment_for_cohort, attainment_for_student
from courses.services import record_evidence, retract_evidence, supersede_evidence
from tests.factories import (
    CohortFactory,
    CompetencyFactory,
    EnrolmentFactory,
    UserFactory,
    course_index,
    course_page,
    outcome,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(framework, competency, teacher, student):
    index = course_index()
    course = course_page(index=index, code="TRD101")
    o1 = outcome(course=course, code="LO1", aligned=[(competency, "1")])
    o2 = outcome(course=course, code="LO2", aligned=[(competency, "0.5")])

    def add(score, day, *, o=None, c=None):
        return record_evidence(
            student=student,
            outcome=o,
            competency=c,
            score=Decimal(score),
            done_on=day,
            source_kind="course_assessment",
            source_title="Test",
            recorded_by=teacher,
        )

    rows = {
        "r1": add("2.00", date(2026, 1, 10), o=o1),
        "r2": add("4.00", date(2026, 2, 10), o=o2),
        "r3": add("3.00", date(2026, 3, 10), o=o1),
        "r4": add("3.50", date(2026, 3, 10), c=competency),
    }
    return rows


def figure_for(student, framework, competency, method, parameter=None):
    framework.calculation_method = method
    framework.method_parameter = None if parameter is None else Decimal(parameter)
    framework.full_clean()
    framework.save()
    return compute_attainment(student_ids=[student.pk])[student.pk][competency.pk]


def test_mean_weights_each_row_by_its_alignment(ledger, student, framework, competency):
    # (2·1 + 4·0.5 + 3·1 + 3.5·1) / (1 + 0.5 + 1 + 1) = 10.5 / 3.5 = 3.00
    figure = figure_for(student, framework, competency, CalculationMethod.MEAN)
    assert figure.value == Decimal("3.00")
    assert figure.evidence_count == 4


def test_mean_of_whole_number_scores_is_not_truncated(framework, competency, teacher, student):
    # SQLite stores 3.00 and 4.00 as the integers 3 and 4; (3 + 4) / 2 must still be 3.50, not 3.
    for score, day in (("3.00", date(2026, 1, 10)), ("4.00", date(2026, 2, 10))):
        record_evidence(
            student=student,
            competency=competency,
            score=Decimal(score),
            done_on=day,
            source_kind="course_assessment",
            source_title="Test",
            recorded_by=teacher,
        )
    assert figure_for(student, framework, competency, CalculationMethod.MEAN).value == Decimal("3.50")


def test_highest_takes_the_best_row(ledger, student, framework, competency):
    assert figure_for(student, framework, competency, CalculationMethod.HIGHEST).value == Decimal("4.00")


def test_latest_takes_the_latest_day_weighted_mean(ledger, student, framework, competency):
    # 2026-03-10: (3·1 + 3.5·1) / 2 = 3.25
    assert figure_for(student, framework, competency, CalculationMethod.LATEST).value == Decimal("3.25")


def test_weighted_latest_uses_the_default_weight(ledger, student, framework, competency):
    # earlier mean = (2·1 + 4·0.5) / 1.5 = 2.6667; 0.65·3.25 + 0.35·2.6667 = 2.1125 + 0.9333 = 3.0458 → 3.05
    assert figure_for(student, framework, competency, CalculationMethod.WEIGHTED_LATEST).value == Decimal("3.05")


def test_weighted_latest_with_a_teacher_chosen_weight(ledger, student, framework, competency):
    # 0.5·3.25 + 0.5·2.6667 = 1.625 + 1.3333 = 2.9583 → 2.96
    figure = figure_for(student, framework, competency, CalculationMethod.WEIGHTED_LATEST, "0.5")
    assert figure.value == Decimal("2.96")


def test_decaying_average_folds_days_in_order(ledger, student, framework, competency):
    # d = 0.5: D1 = 2; D2 = 0.5·2 + 0.5·4 = 3; D3 = 0.5·3 + 0.5·3.25 = 3.125 → 3.13
    figure = figure_for(student, framework, competency, CalculationMethod.DECAYING_AVERAGE, "0.5")
    assert figure.value == Decimal("3.13")


def test_decaying_average_default_decay(ledger, student, framework, competency):
    # d = 0.65: D2 = 0.35·2 + 0.65·4 = 3.3; D3 = 0.35·3.3 + 0.65·3.25 = 1.155 + 2.1125 = 3.2675 → 3.27
    figure = figure_for(student, framework, competency, CalculationMethod.DECAYING_AVERAGE)
    assert figure.value == Decimal("3.27")


def test_n_times_mastery_averages_rows_at_or_above_mastery(ledger, student, framework, competency):
    # rows ≥ 3: (4, 0.5), (3, 1), (3.5, 1): three ≥ n = 2; (2 + 3 + 3.5) / 2.5 = 3.40
    figure = figure_for(student, framework, competency, CalculationMethod.N_TIMES_MASTERY, "2")
    assert figure.value == Decimal("3.40")
    assert figure.is_mastered


def test_n_times_mastery_is_not_attained_below_n(ledger, student, framework, competency):
    figure = figure_for(student, framework, competency, CalculationMethod.N_TIMES_MASTERY, "4")
    assert figure.value is None
    assert not figure.is_attained
    assert figure.level is None


def test_superseded_rows_no_longer_count(ledger, student, framework, competency, teacher):
    supersede_evidence(record=ledger["r1"], score=Decimal("1.00"), recorded_by=teacher, note="Marking error")
    # (1·1 + 4·0.5 + 3 + 3.5) / 3.5 = 9.5 / 3.5 = 2.714 → 2.71
    assert figure_for(student, framework, competency, CalculationMethod.MEAN).value == Decimal("2.71")


def test_retracted_rows_no_longer_count(ledger, student, framework, competency, teacher):
    retract_evidence(record=ledger["r4"], recorded_by=teacher, note="Certificate withdrawn")
    # (2·1 + 4·0.5 + 3·1) / 2.5 = 7 / 2.5 = 2.80
    figure = figure_for(student, framework, competency, CalculationMethod.MEAN)
    assert figure.value == Decimal("2.80")
    assert figure.evidence_count == 3


def test_level_is_the_highest_level_reached(ledger, student, framework, competency):
    figure = figure_for(student, framework, competency, CalculationMethod.MEAN)  # 3.00
    assert figure.level.name == "Proficient"
    assert figure.is_mastered
    assert figure.percent == 75  # 3 / 4


def test_explained_figures_list_the_rows_behind_them(ledger, student, framework, competency):
    figures = attainment_for_student(student=student, framework=framework, explain=True)
    figure = next(f for f in figures if f.competency == competency)
    assert [(e.evidence_id, e.weight) for e in figure.evidence] == [
        (ledger["r1"].pk, Decimal("1.00")),
        (ledger["r2"].pk, Decimal("0.50")),
        (ledger["r3"].pk, Decimal("1.00")),
        (ledger["r4"].pk, Decimal("1")),
    ]


def test_competencies_without_evidence_are_listed_as_not_attained(ledger, student, framework):
    other = CompetencyFactory(framework=framework, code="ZZZ")
    figures = {f.competency: f for f in attainment_for_student(student=student, framework=framework)}
    assert figures[other].value is None
    assert figures[other].evidence_count == 0


def test_other_students_evidence_never_leaks_in(ledger, framework, competency):
    stranger = UserFactory()
    assert compute_attainment(student_ids=[stranger.pk]) == {}


def test_cohort_attainment_covers_every_enrolled_student(ledger, student, framework, competency, teacher):
    cohort = CohortFactory(programme__framework=framework)
    EnrolmentFactory(cohort=cohort, student=student)
    classmate = EnrolmentFactory(cohort=cohort).student
    record_evidence(
        student=classmate,
        competency=competency,
        score=Decimal("1.5"),
        done_on=date(2026, 1, 1),
        source_kind="certificate",
        source_title="Cert",
        recorded_by=teacher,
    )
    result = attainment_for_cohort(cohort=cohort)
    assert result[student.pk][competency.pk].value == Decimal("3.00")  # the framework factory uses the mean
    assert result[classmate.pk][competency.pk].value == Decimal("1.50")


def test_a_rows_own_weight_multiplies_the_alignment_weight(framework, competency, teacher):
    learner = UserFactory()
    course = course_page(index=course_index(), code="W101")
    o1 = outcome(course=course, code="LO1", aligned=[(competency, "1")])
    o2 = outcome(course=course, code="LO2", aligned=[(competency, "0.5")])
    for target, score, weight in ((o1, "2", "1"), (o2, "4", "0.5")):
        record_evidence(
            student=learner,
            outcome=target,
            score=Decimal(score),
            weight=Decimal(weight),
            done_on=date(2026, 1, 1),
            source_kind="competition_task",
            source_title="Rubric",
            recorded_by=teacher,
        )
    # weights 1·1 and 0.5·0.5 = 0.25: (2·1 + 4·0.25) / 1.25 = 3 / 1.25 = 2.40
    figure = figure_for(learner, framework, competency, CalculationMethod.MEAN)
    assert figure.value == Decimal("2.40")
    explained = attainment_for_student(student=learner, framework=framework, explain=True)
    assert sorted(e.weight for e in explained[0].evidence) == [Decimal("0.25"), Decimal("1.00")]
