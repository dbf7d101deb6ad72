"""Roster and result imports: dry-run previews, row-level errors, all-or-nothing writes."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from courses.imports import ImportFileError, import_results, import_roster, read_table
from courses.models import AssessmentResult, Enrolment, EvidenceRecord
from courses.services import record_assessment_result
from tests.factories import CohortFactory, EnrolmentFactory, assessment, course_index, course_page, outcome

pytestmark = pytest.mark.django_db

ROSTER = ("student_number", "family_name", "given_name")
RESULTS = ("student_number", "assessment", "score")


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def cohort(framework):
    return CohortFactory(programme__framework=framework)


@pytest.fixture
def course(competency):
    page = course_page(index=course_index(), code="MKT201", title="Online Marketing")
    lo1 = outcome(course=page, code="LO1", aligned=[(competency, "1")])
    assessment(course=page, title="Listing practical", outcomes=[lo1], held_on=date(2026, 3, 1))
    return page


def test_roster_dry_run_writes_nothing_but_reports_every_row(cohort):
    rows = read_table(
        name="roster.csv", content=csv_bytes("学号,姓,名\n2024010101,王,芳\n2024010102,李,强\n"), required=ROSTER
    )
    report = import_roster(cohort=cohort, rows=rows, enrolled_on=date(2024, 9, 1), dry_run=True)
    assert report.is_valid and not report.applied
    assert report.count("create") == 2
    assert not Enrolment.objects.exists()


def test_roster_import_creates_students_and_enrolments(cohort):
    rows = read_table(
        name="roster.csv",
        content=csv_bytes("student_number,family_name,given_name\n2024010101,王,芳\n"),
        required=ROSTER,
    )
    report = import_roster(cohort=cohort, rows=rows, enrolled_on=date(2024, 9, 1), dry_run=False)
    assert report.applied
    enrolment = Enrolment.objects.get(cohort=cohort)
    assert (enrolment.student_number, enrolment.student.last_name, enrolment.student.first_name) == (
        "2024010101",
        "王",
        "芳",
    )
    assert enrolment.student.groups.filter(name="Students").exists()
    assert not enrolment.student.has_usable_password()


def test_one_bad_row_means_nothing_is_written(cohort):
    text = "student_number,family_name,given_name\n2024010101,王,芳\n,李,强\n2024010101,赵,敏\n"
    rows = read_table(name="roster.csv", content=csv_bytes(text), required=ROSTER)
    report = import_roster(cohort=cohort, rows=rows, enrolled_on=date(2024, 9, 1), dry_run=False)
    assert not report.applied
    assert [(row.line, row.errors) for row in report.error_rows] == [
        (3, ["The student number is empty."]),
        (4, ["Student number 2024010101 appears twice in the file."]),
    ]
    assert not Enrolment.objects.exists()


def test_gb18030_csv_from_chinese_excel_is_read(cohort):
    rows = read_table(
        name="roster.csv", content=csv_bytes("学号,姓,名\n2024010101,欧阳,娜娜\n", "gb18030"), required=ROSTER
    )
    assert rows[0].values == {"student_number": "2024010101", "family_name": "欧阳", "given_name": "娜娜"}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("roster.txt", b"a,b", "Upload a .csv or .xlsx file."),
        ("roster.xlsx", b"student_number,family_name", "not a real XLSX"),
        ("roster.csv", b"number,name\n1,x\n", "Missing columns: student_number, family_name, given_name."),
        ("roster.csv", b"", "The file is empty."),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_message(name, content, message):
    with pytest.raises(ImportFileError, match=message.replace(".", r"\.")):
        read_table(name=name, content=content, required=ROSTER)


def test_results_import_from_xlsx_writes_results_and_evidence(cohort, course, teacher):
    student = EnrolmentFactory(cohort=cohort, student_number="2024010101").student
    content = xlsx_bytes([["学号", "考核", "成绩"], ["2024010101", "Listing practical", 75]])
    rows = read_table(name="results.xlsx", content=content, required=RESULTS)
    report = import_results(cohort=cohort, course=course, rows=rows, recorded_by=teacher, dry_run=False)
    assert report.applied and report.count("create") == 1
    evidence = EvidenceRecord.objects.active().get(student=student)
    assert evidence.score == Decimal("3.00")  # 75 / 100 × 4 points
    assert evidence.done_on == date(2026, 3, 1)  # the assessment's date, not today's
    assert evidence.source_kind == "course_assessment"


def test_results_import_reports_unknown_students_assessments_and_bad_scores(cohort, course, teacher):
    EnrolmentFactory(cohort=cohort, student_number="2024010101")
    text = (
        "student_number,assessment,score\n"
        "2024019999,Listing practical,80\n"
        "2024010101,Final exam,80\n"
        "2024010101,Listing practical,abc\n"
    )
    rows = read_table(name="r.csv", content=csv_bytes(text), required=RESULTS)
    report = import_results(cohort=cohort, course=course, rows=rows, recorded_by=teacher, dry_run=True)
    messages = [row.errors[0] for row in report.error_rows]
    assert "No student with number “2024019999”" in messages[0]
    assert messages[1] == "“Final exam” is not an assessment of Online Marketing."
    assert messages[2] == "“abc” is not a number."
    assert not AssessmentResult.objects.exists()


def test_a_corrected_result_supersedes_the_old_result_and_evidence(cohort, course, teacher):
    student = EnrolmentFactory(cohort=cohort).student
    listing = course.assessments.get()
    first = record_assessment_result(assessment=listing, student=student, score=Decimal("50"), recorded_by=teacher)
    second = record_assessment_result(assessment=listing, student=student, score=Decimal("100"), recorded_by=teacher)
    assert second.supersedes == first
    assert (
        record_assessment_result(assessment=listing, student=student, score=Decimal("100"), recorded_by=teacher)
        == second
    )
    active = EvidenceRecord.objects.active().get(student=student)
    assert active.score == Decimal("4.00")
    assert active.supersedes.score == Decimal("2.00")
    assert AssessmentResult.objects.count() == 2


def test_scores_above_the_assessment_maximum_are_refused(cohort, course, teacher):
    student = EnrolmentFactory(cohort=cohort).student
    with pytest.raises(ValidationError, match=r"outside 0–100\.00"):
        record_assessment_result(
            assessment=course.assessments.get(), student=student, score=Decimal("101"), recorded_by=teacher
        )


def roster_rows(number: str):
    return read_table(
        name="roster.csv",
        content=csv_bytes(f"student_number,family_name,given_name\n{number},陈,小红\n"),
        required=ROSTER,
    )


def test_a_teacher_cannot_enrol_a_student_of_a_class_they_do_not_teach(cohort, teacher):
    cohort.teachers.add(teacher)
    elsewhere = EnrolmentFactory(student__username="2023000001")  # another class, another teacher
    report = import_roster(
        cohort=cohort, rows=roster_rows("2023000001"), enrolled_on=date(2024, 9, 1), dry_run=False, imported_by=teacher
    )
    assert not report.applied
    assert report.rows[0].errors == [
        f"Student number 2023000001 belongs to a student of a class you do not teach; ask an administrator to "
        f"enrol them in {cohort}."
    ]
    assert not Enrolment.objects.filter(cohort=cohort, student=elsewhere.student).exists()


def test_a_teacher_may_enrol_a_student_of_another_of_their_classes(cohort, teacher):
    cohort.teachers.add(teacher)
    own_other_class = CohortFactory(programme=cohort.programme)
    own_other_class.teachers.add(teacher)
    student = EnrolmentFactory(cohort=own_other_class, student__username="2023000002").student
    report = import_roster(
        cohort=cohort, rows=roster_rows("2023000002"), enrolled_on=date(2024, 9, 1), dry_run=False, imported_by=teacher
    )
    assert report.applied
    assert Enrolment.objects.filter(cohort=cohort, student=student).exists()


def test_a_teacher_cannot_turn_a_staff_account_into_a_student(cohort, teacher):
    from tests.factories import UserFactory

    cohort.teachers.add(teacher)
    UserFactory(username="2023000003", roles=["Employers"])
    report = import_roster(
        cohort=cohort, rows=roster_rows("2023000003"), enrolled_on=date(2024, 9, 1), dry_run=False, imported_by=teacher
    )
    assert report.rows[0].errors == [
        "An account named 2023000003 already exists and is not a student's; ask an administrator."
    ]


def test_an_administrator_may_enrol_any_existing_account(cohort):
    from tests.factories import UserFactory

    admin = UserFactory(username="admin", is_superuser=True)
    student = EnrolmentFactory(student__username="2023000004").student
    report = import_roster(
        cohort=cohort, rows=roster_rows("2023000004"), enrolled_on=date(2024, 9, 1), dry_run=False, imported_by=admin
    )
    assert report.applied and Enrolment.objects.filter(cohort=cohort, student=student).exists()
