"""Importing rosters and assessment results from CSV or XLSX.

Every import runs inside one transaction. A dry run does all the work, reports it, and rolls back, so the
preview a teacher sees is exactly what confirming will do; a real run with any row error writes nothing.
Between the two, a preview that can be confirmed waits in the private storage (see the end of this module and
``courses.views.BaseImportView``).
"""

import csv
import io
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from itertools import islice

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from courses.models import AssessmentResult, Cohort, CourseAssessment, CoursePage, Enrolment
from courses.roles import STUDENTS
from courses.services import enrol_student, record_assessment_result
from courses.uploads import private_storage

#: Accepted column headers, English or Chinese, mapped to field names.
HEADER_ALIASES = {
    "student_number": "student_number",
    "student number": "student_number",
    "学号": "student_number",
    "family_name": "family_name",
    "family name": "family_name",
    "姓": "family_name",
    "given_name": "given_name",
    "given name": "given_name",
    "名": "given_name",
    "email": "email",
    "邮箱": "email",
    "assessment": "assessment",
    "考核": "assessment",
    "考核项目": "assessment",
    "score": "score",
    "成绩": "score",
    "分数": "score",
    "team": "team",
    "团队": "team",
    "队伍": "team",
    "task": "task",
    "任务": "task",
    "criterion": "criterion",
    "评分项": "criterion",
    "award": "award",
    "奖项": "award",
    "date": "date",
    "日期": "date",
}
ROSTER_COLUMNS = ("student_number", "family_name", "given_name")


def chinese_headers(columns: tuple[str, ...]) -> list[str]:
    """The first Chinese header accepted for each column, for help texts."""
    return [
        next(alias for alias, name in HEADER_ALIASES.items() if name == column and not alias.isascii())
        for column in columns
    ]


RESULT_COLUMNS = ("student_number", "assessment", "score")


class ImportFileError(ValidationError):
    """The file as a whole cannot be read (wrong type, too large, missing columns)."""


@dataclass
class ImportRow:
    line: int
    values: dict[str, str]
    action: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[ImportRow]
    dry_run: bool
    applied: bool = False

    @property
    def error_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return not self.error_rows

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action and not row.errors)


ACTION_LABELS = {
    "create": gettext_lazy("new"),
    "update": gettext_lazy("corrected"),
    "unchanged": gettext_lazy("unchanged"),
}


def read_table(*, name: str, content: bytes, required: tuple[str, ...]) -> list[ImportRow]:
    """Parse CSV (UTF-8 or GB18030, as Chinese Excel saves it) or XLSX into rows keyed by field name.

    The file is read row by row and reading stops at the row past ``KESAI_IMPORT_MAX_ROWS``: every row read
    counts, blank ones too, because a workbook with one value in row 1,000,000 makes openpyxl produce every
    missing row before it, and they cost as much to read as full ones. Blank rows are left out of the result.
    Columns to the right of the header's last name are never read.
    """
    if len(content) > settings.KESAI_IMPORT_MAX_BYTES:
        raise ImportFileError(_("The file is larger than %(mb)s MB.") % {"mb": settings.KESAI_IMPORT_MAX_BYTES >> 20})
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        if not content.startswith(b"PK"):
            raise ImportFileError(_("This file is not a real XLSX workbook."))
        table = _xlsx_rows(content)
    elif lowered.endswith(".csv"):
        table = _csv_rows(content)
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    max_rows = settings.KESAI_IMPORT_MAX_ROWS
    with closing(table):
        first = next(table, None)
        if first is None:
            raise ImportFileError(_("The file is empty."))
        header = _header(first)
        missing = [column for column in required if column not in header]
        if missing:
            raise ImportFileError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        rows = []
        for line, cells in enumerate(islice(table, max_rows + 1), start=2):
            if line > max_rows + 1:
                raise ImportFileError(_("The file has more than %(n)s rows.") % {"n": max_rows})
            values = {
                key: str(cells[i]).strip() if i < len(cells) and cells[i] is not None else ""
                for i, key in enumerate(header)
            }
            if any(values.values()):
                rows.append(ImportRow(line=line, values=values))
    return rows


def _header(cells) -> list[str]:
    """Field names of the header row, up to its last non-empty cell."""
    names = [str(cell or "").strip().lower() for cell in cells]
    while names and not names[-1]:
        names.pop()
    return [HEADER_ALIASES.get(name, name) for name in names]


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _csv_reader_rows(text)
    raise ImportFileError(_("The CSV file is neither UTF-8 nor GB18030 text."))


def _csv_reader_rows(text: str) -> Iterator[list[str]]:
    """The CSV module's rows; its errors (a cell longer than ``csv.field_size_limit()``) refuse the file."""
    reader = csv.reader(io.StringIO(text))
    try:
        yield from reader
    except csv.Error as error:
        raise ImportFileError(
            _(
                "Line %(line)s of the CSV file cannot be read: a cell is longer than %(limit)s characters, or the "
                "file is damaged."
            )
            % {"line": reader.line_num, "limit": number_format(csv.field_size_limit(), force_grouping=True)}
        ) from error


def _xlsx_rows(content: bytes) -> Iterator[tuple]:
    """The first sheet's header row, then its other rows cut to the header's width, read as they are needed.

    Read-only mode streams the sheet; formula cells give the result Excel saved (``data_only``), never one
    computed here.
    """
    _refuse_zip_bomb(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for damaged files
        raise ImportFileError(_("The workbook cannot be opened: %(error)s") % {"error": error}) from error
    return _sheet_rows(workbook)


#: What a workbook may unpack to: a full 20,000-row sheet of a roster is a few MB of XML.
XLSX_MAX_UNPACKED_BYTES = 100 * 1024 * 1024


def _refuse_zip_bomb(content: bytes) -> None:
    """An XLSX file is a zip archive: a few compressed megabytes can unpack to gigabytes of sheet XML, which the row
    limit would only stop after parsing them. The archive's directory says how large each part unpacks to."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise ImportFileError(_("The workbook cannot be opened: %(error)s") % {"error": error}) from error
    if unpacked > XLSX_MAX_UNPACKED_BYTES:
        raise ImportFileError(
            _("The workbook unpacks to more than %(mb)s MB; save it again without unused rows and columns.")
            % {"mb": XLSX_MAX_UNPACKED_BYTES >> 20}
        )


def _sheet_rows(workbook) -> Iterator[tuple]:
    try:
        sheet = workbook.worksheets[0]
        header = next(sheet.iter_rows(max_row=1, values_only=True), None)
        if header is None:
            return
        yield header
        width = len(_header(header))
        if width:
            yield from sheet.iter_rows(min_row=2, max_col=width, values_only=True)
    except ImportFileError:
        raise
    except Exception as error:  # damage found only when the rows are parsed
        raise ImportFileError(_("The workbook cannot be opened: %(error)s") % {"error": error}) from error
    finally:
        workbook.close()


class _Rollback(Exception):
    pass


def run_rows(rows: list[ImportRow], apply_row, *, dry_run: bool) -> ImportReport:
    """Apply ``apply_row`` to every row in one transaction; roll back on a dry run or any row error."""
    report = ImportReport(rows=rows, dry_run=dry_run)
    try:
        with transaction.atomic():
            for row in rows:
                try:
                    with transaction.atomic():
                        row.action = apply_row(row)
                except ValidationError as error:
                    row.errors.extend(error.messages)
            if dry_run or not report.is_valid:
                raise _Rollback
    except _Rollback:
        return report
    report.applied = True
    return report


def import_roster(
    *,
    cohort: Cohort,
    rows: list[ImportRow],
    enrolled_on: date,
    dry_run: bool = True,
    imported_by: AbstractBaseUser | None = None,
) -> ImportReport:
    """Create student accounts (user name = student number) and enrol them in the cohort.

    A teacher's import only enrols accounts it creates or students already in one of the teacher's classes:
    enrolling someone else's student (or a staff account that happens to bear the number) would make the teacher
    their class teacher, with sight of their records. Administrators may enrol any existing account.
    """
    user_model = get_user_model()
    may_enrol_anyone = imported_by is None or imported_by.is_superuser
    student_group = Group.objects.filter(name=STUDENTS).first()
    seen: set[str] = set()

    def apply_row(row: ImportRow) -> str:
        number = row.values.get("student_number", "")
        family = row.values.get("family_name", "")
        given = row.values.get("given_name", "")
        if not number:
            raise ValidationError(_("The student number is empty."))
        if number in seen:
            raise ValidationError(_("Student number %(number)s appears twice in the file.") % {"number": number})
        seen.add(number)
        if not family and not given:
            raise ValidationError(_("The student's name is empty."))
        user = user_model.objects.filter(username=number).first()
        action = "unchanged"
        if user is not None and not may_enrol_anyone:
            _check_teacher_may_enrol(user, number=number, cohort=cohort, teacher=imported_by)
        if user is None:
            user = user_model.objects.create_user(
                username=number, first_name=given, last_name=family, email=row.values.get("email", "")
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
            action = "create"
        if student_group is not None:
            user.groups.add(student_group)
        if not Enrolment.objects.filter(cohort=cohort, student=user).exists():
            enrol_student(cohort=cohort, student=user, student_number=number, enrolled_on=enrolled_on)
            action = "create"
        return action

    return run_rows(rows, apply_row, dry_run=dry_run)


def _check_teacher_may_enrol(user: AbstractBaseUser, *, number: str, cohort: Cohort, teacher: AbstractBaseUser) -> None:
    enrolments = Enrolment.objects.filter(student=user)
    if not enrolments.exists():
        if not user.groups.filter(name=STUDENTS).exists():
            raise ValidationError(
                _("An account named %(number)s already exists and is not a student's; ask an administrator.")
                % {"number": number}
            )
        return
    if not enrolments.filter(cohort=cohort).exists() and not enrolments.filter(cohort__teachers=teacher).exists():
        raise ValidationError(
            _(
                "Student number %(number)s belongs to a student of a class you do not teach; ask an administrator "
                "to enrol them in %(cohort)s."
            )
            % {"number": number, "cohort": cohort}
        )


def import_results(
    *, cohort: Cohort, course: CoursePage, rows: list[ImportRow], recorded_by: AbstractBaseUser, dry_run: bool = True
) -> ImportReport:
    """Record assessment results by student number; a changed score supersedes the earlier result."""
    students = {
        enrolment.student_number: enrolment.student
        for enrolment in Enrolment.objects.filter(cohort=cohort).select_related("student")
    }
    assessments = {a.title.strip().lower(): a for a in CourseAssessment.objects.filter(course=course)}
    seen: set[tuple[str, str]] = set()

    def apply_row(row: ImportRow) -> str:
        number = row.values.get("student_number", "")
        title = row.values.get("assessment", "")
        student = students.get(number)
        if student is None:
            raise ValidationError(
                _("No student with number “%(number)s” in %(cohort)s.") % {"number": number, "cohort": cohort}
            )
        assessment = assessments.get(title.strip().lower())
        if assessment is None:
            raise ValidationError(
                _("“%(title)s” is not an assessment of %(course)s.") % {"title": title, "course": course.title}
            )
        if (number, assessment.title) in seen:
            raise ValidationError(_("This student and assessment appear twice in the file."))
        seen.add((number, assessment.title))
        try:
            score = Decimal(row.values.get("score", "").replace(",", "."))
        except InvalidOperation as error:
            raise ValidationError(_("“%(score)s” is not a number.") % {"score": row.values.get("score", "")}) from error
        previous = AssessmentResult.objects.filter(
            assessment=assessment, student=student, superseded_by__isnull=True
        ).first()
        result = record_assessment_result(assessment=assessment, student=student, score=score, recorded_by=recorded_by)
        if previous is None:
            return "create"
        return "unchanged" if result.pk == previous.pk else "update"

    return run_rows(rows, apply_row, dry_run=dry_run)


# --- Files waiting for the teacher's confirmation ----------------------------------------------------------------

#: The private storage's folder where a previewed file waits, and how long one whose session was abandoned stays.
PENDING_FOLDER = "imports"
PENDING_LIFETIME = timedelta(days=1)


def keep_pending_file(*, content: bytes, suffix: str) -> tuple[str, str]:
    """Keep an uploaded table until the teacher confirms it; returns its token and its path in the storage.

    The private storage is never served: a roster holds students' numbers, names and e-mail addresses.
    """
    token = str(uuid.uuid4())
    path = private_storage().save(f"{PENDING_FOLDER}/{token}{suffix}", ContentFile(content))
    return token, path


def take_pending_file(path: str) -> bytes | None:
    """The waiting file's content, deleted from the storage; ``None`` when it is gone (removed as stale)."""
    storage = private_storage()
    try:
        with storage.open(path, "rb") as stored:
            content = stored.read()
    except FileNotFoundError:
        return None
    storage.delete(path)
    return content


def discard_pending_file(path: str) -> None:
    private_storage().delete(path)


def remove_stale_pending_files() -> int:
    """Delete waiting files older than ``PENDING_LIFETIME`` (previews nobody confirmed); returns how many."""
    storage = private_storage()
    try:
        _folders, names = storage.listdir(PENDING_FOLDER)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - PENDING_LIFETIME
    removed = 0
    for name in names:
        path = f"{PENDING_FOLDER}/{name}"
        try:
            if storage.get_modified_time(path) < cutoff:
                storage.delete(path)
                removed += 1
        except FileNotFoundError:  # taken or removed by another request meanwhile
            continue
    return removed
