"""Roster and result imports: dry-run previews, row-level errors, all-or-nothing writes."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

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


# --- Limits: rows read, columns read, the csv module's own limit ---------------------------------------------


@pytest.fixture
def rows_read(monkeypatch) -> list[tuple]:
    """Every row openpyxl hands out while the test runs (the header's pass and the data's)."""
    read: list[tuple] = []
    original = ReadOnlyWorksheet.iter_rows

    def counting(self, *args, **kwargs):
        for row in original(self, *args, **kwargs):
            read.append(row)
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "iter_rows", counting)
    return read


def far_value_workbook(*, row: int = 1, column: int = 1) -> bytes:
    """A roster header and one more value at (row, column): openpyxl fills every missing row and column before it."""
    book = Workbook()
    book.active.append(list(ROSTER))
    book.active.cell(row=row, column=column, value="2024010101")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_value_far_below_the_header_is_refused_after_reading_only_the_limit(settings, rows_read):
    settings.KESAI_IMPORT_MAX_ROWS = 5
    with pytest.raises(ImportFileError, match=r"The file has more than 5 rows\."):
        read_table(name="roster.xlsx", content=far_value_workbook(row=100_000), required=ROSTER)
    assert len(rows_read) == 1 + 6  # the header, then data rows 2–7: the sixth is one too many


def test_blank_rows_count_toward_the_limit_but_are_left_out(settings):
    settings.KESAI_IMPORT_MAX_ROWS = 3
    content = far_value_workbook(row=4)  # rows 2 and 3 blank, row 4 holds a value: 3 data rows
    rows = read_table(name="roster.xlsx", content=content, required=ROSTER)
    assert [(row.line, row.values["student_number"]) for row in rows] == [(4, "2024010101")]
    settings.KESAI_IMPORT_MAX_ROWS = 2
    with pytest.raises(ImportFileError, match=r"more than 2 rows"):
        read_table(name="roster.xlsx", content=content, required=ROSTER)


def test_exactly_the_row_limit_is_accepted_and_one_more_refused(settings):
    settings.KESAI_IMPORT_MAX_ROWS = 2
    header = "student_number,family_name,given_name\n"
    two = header + "2024010101,王,芳\n2024010102,李,强\n"
    assert len(read_table(name="roster.csv", content=csv_bytes(two), required=ROSTER)) == 2
    with pytest.raises(ImportFileError, match=r"more than 2 rows"):
        read_table(name="roster.csv", content=csv_bytes(two + "2024010103,赵,敏\n"), required=ROSTER)


def test_columns_right_of_the_header_are_never_read(rows_read):
    content = far_value_workbook(row=2, column=16_384)  # column XFD, Excel's last
    rows = read_table(name="roster.xlsx", content=content, required=ROSTER)
    assert rows == []  # the only value of row 2 lies outside the header's three columns
    assert [len(row) for row in rows_read[1:]] == [3]


def test_a_csv_cell_over_the_csv_modules_limit_is_refused_with_its_line():
    text = "student_number,family_name,given_name\n2024010101,王,芳\n2024010102," + "长" * 131_073 + ",强\n"
    with pytest.raises(ImportFileError) as refused:
        read_table(name="roster.csv", content=csv_bytes(text), required=ROSTER)
    assert refused.value.messages == [
        "Line 3 of the CSV file cannot be read: a cell is longer than 131,072 characters, or the file is damaged."
    ]


def test_a_workbook_that_unpacks_beyond_the_cap_is_refused_before_it_is_parsed(monkeypatch):
    content = xlsx_bytes([["学号", "考核", "成绩"], *[["2024010101", "Listing practical", 75]] * 200])
    monkeypatch.setattr("courses.imports.XLSX_MAX_UNPACKED_BYTES", 4096)
    with pytest.raises(ImportFileError, match="unpacks to more than 0 MB"):
        read_table(name="results.xlsx", content=content, required=RESULTS)
    monkeypatch.setattr("courses.imports.XLSX_MAX_UNPACKED_BYTES", 10 * 1024 * 1024)
    assert len(read_table(name="results.xlsx", content=content, required=RESULTS)) == 200


def test_a_broken_zip_archive_named_xlsx_cannot_be_opened():
    with pytest.raises(ImportFileError, match="The workbook cannot be opened"):
        read_table(name="results.xlsx", content=b"PK\x03\x04 and then nothing a zip archive holds", required=RESULTS)
