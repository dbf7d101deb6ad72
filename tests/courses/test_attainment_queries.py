"""Attainment costs a fixed number of queries, however much evidence there is."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from courses.models import EvidenceRecord
from courses.selectors import attainment_for_cohort, attainment_for_student
from tests.factories import CohortFactory, CompetencyFactory, EnrolmentFactory, course_index, course_page, outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def outcomes(framework):
    competencies = [CompetencyFactory(framework=framework) for _ in range(4)]
    course = course_page(index=course_index(), code="OPS301")
    return [
        outcome(course=course, code=f"LO{i}", aligned=[(competencies[i], "1"), (competencies[(i + 1) % 4], "0.5")])
        for i in range(4)
    ]


def add_rows(student, outcomes, teacher, count):
    """Insert ``count`` ledger rows directly (inserts only; the ledger allows them)."""
    start = date(2025, 1, 1)
    EvidenceRecord.objects.bulk_create(
        EvidenceRecord(
            student=student,
            outcome=outcomes[i % len(outcomes)],
            score=Decimal(i % 5),
            done_on=start + timedelta(days=i % 600),
            source_kind="course_assessment",
            source_title=f"Task {i}",
            recorded_by=teacher,
        )
        for i in range(count)
    )


@pytest.mark.parametrize("explain", [False, True])
def test_one_student_costs_the_same_queries_with_5_or_2000_rows(
    django_assert_num_queries, framework, outcomes, teacher, student, explain
):
    add_rows(student, outcomes, teacher, 5)
    # competencies, levels, attainment; explaining adds the rows and their alignments
    with django_assert_num_queries(5 if explain else 3):
        small = attainment_for_student(student=student, framework=framework, explain=explain)
    add_rows(student, outcomes, teacher, 1995)
    with django_assert_num_queries(5 if explain else 3):
        large = attainment_for_student(student=student, framework=framework, explain=explain)
    assert sum(f.evidence_count for f in small) == 10  # 5 rows × 2 aligned competencies
    assert sum(f.evidence_count for f in large) == 4000
    if explain:
        assert sum(len(f.evidence) for f in large) == 4000


def test_a_cohort_costs_the_same_queries_with_5_or_50_students(django_assert_num_queries, framework, outcomes, teacher):
    cohort = CohortFactory(programme__framework=framework)

    def enrol(n):
        for _ in range(n):
            add_rows(EnrolmentFactory(cohort=cohort).student, outcomes, teacher, 3)

    enrol(5)
    with django_assert_num_queries(3):
        assert len(attainment_for_cohort(cohort=cohort)) == 5
    enrol(45)
    with django_assert_num_queries(3):
        assert len(attainment_for_cohort(cohort=cohort)) == 50
