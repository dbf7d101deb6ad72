"""Results of contests run elsewhere become the same evidence as judged rounds."""

from decimal import Decimal

import pytest
from django.utils import timezone

from competitions.services.imports import RESULT_COLUMNS, import_competition_results
from courses.imports import read_table
from courses.models import EvidenceRecord
from tests.competitions.test_brief_pages import build_competition
from tests.factories import EnrolmentFactory, course_index, course_page, outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(competency):
    course = course_page(index=course_index(), code="OPS201", title="Platform Operation")
    lo2 = outcome(course=course, code="LO2", aligned=[(competency, "1")])
    competition, round_page = build_competition(course_outcome=lo2)
    student = EnrolmentFactory(student_number="2024010101").student
    return competition, round_page, lo2, student


def rows(text: str):
    return read_table(name="results.csv", content=text.encode(), required=RESULT_COLUMNS)


def test_a_criterion_score_becomes_weighted_evidence(setting, teacher):
    competition, _round_page, lo2, student = setting
    report = import_competition_results(
        competition=competition,
        rows=rows("学号,团队,任务,评分项,成绩\n2024010101,Silk Road,Product listing 0,Listing quality 0,7.5\n"),
        recorded_by=teacher,
        dry_run=False,
    )
    assert report.applied, [r.errors for r in report.rows]
    row = EvidenceRecord.objects.active().get(student=student)
    assert row.outcome == lo2
    assert row.score == Decimal("3.00")  # 7.5 / 10 × 4 points
    assert row.weight == Decimal("0.80")  # the criterion's alignment weight
    assert row.done_on == timezone.localdate()  # the round's deadline is still ahead, so today
    assert "Silk Road" in row.source_title


def test_a_task_score_spreads_over_its_criteria_and_an_award_adds_a_row(setting, teacher):
    competition, _round, _lo2, student = setting
    text = "student_number,task,score,award,date\n2024010101,Product listing 0,60,一等奖,2026-05-20\n"
    import_competition_results(competition=competition, rows=rows(text), recorded_by=teacher, dry_run=False)
    by_kind = {r.source_kind: r for r in EvidenceRecord.objects.active().filter(student=student)}
    assert by_kind["competition_task"].score == Decimal("2.40")  # 60/100 → 6 of 10 points → 6/10 × 4
    assert by_kind["competition_award"].score == Decimal("4.00")  # first prize: top of the scale
    assert by_kind["competition_award"].weight == Decimal("0.50")
    assert str(by_kind["competition_task"].done_on) == "2026-05-20"


def test_reimporting_a_corrected_file_supersedes_instead_of_duplicating(setting, teacher):
    competition, _round, _lo2, student = setting
    for score in ("7.5", "8", "8"):
        import_competition_results(
            competition=competition,
            rows=rows(f"student_number,task,criterion,score\n2024010101,Product listing 0,Listing quality 0,{score}\n"),
            recorded_by=teacher,
            dry_run=False,
        )
    active = EvidenceRecord.objects.active().get(student=student)
    assert active.score == Decimal("3.20")
    assert active.supersedes.score == Decimal("3.00")
    assert EvidenceRecord.objects.filter(student=student).count() == 2


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("2024019999,Product listing 0,,5", "No student with number “2024019999”."),
        ("2024010101,Unknown task,,5", "“Unknown task” is not a task of Shopee Cup."),
        ("2024010101,Product listing 0,Style,5", "“Style” is not a criterion of “Product listing 0”."),
        ("2024010101,Product listing 0,Listing quality 0,11", "Score 11 is outside 0–10.00."),
        ("2024010101,Product listing 0,,abc", "Score “abc” is not a number."),
    ],
)
def test_bad_rows_are_reported_and_nothing_is_written(setting, teacher, line, message):
    competition = setting[0]
    report = import_competition_results(
        competition=competition,
        rows=rows(f"student_number,task,criterion,score\n{line}\n"),
        recorded_by=teacher,
        dry_run=False,
    )
    assert not report.applied
    assert report.error_rows[0].errors == [message]
    assert not EvidenceRecord.objects.exists()
