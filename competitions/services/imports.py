"""Importing results of competitions run elsewhere (provincial, national contests) as evidence.

Columns: student_number, team, task, criterion (optional), score, award (optional), date (optional).
A row with a criterion scores that criterion (0–its maximum points); a row without one gives a task score
(0–the task's maximum) that applies proportionally to every criterion of the task. The evidence is the same
as finalising a judged round produces, so attainment does not care where a contest was run. Re-importing a
corrected file supersedes the earlier rows (one source per criterion and student).
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from competitions.models import Award, CompetitionPage, Criterion, RoundPage, Task
from competitions.services.evidence import (
    AWARD_KIND,
    TASK_KIND,
    EvidenceSource,
    award_drafts,
    criterion_drafts,
    write_source,
)
from courses.imports import ImportReport, ImportRow, run_rows
from courses.models import CourseOutcome, Enrolment

RESULT_COLUMNS = ("student_number", "task", "score")

AWARD_ALIASES = {
    "first": Award.FIRST,
    "first prize": Award.FIRST,
    "一等奖": Award.FIRST,
    "second": Award.SECOND,
    "second prize": Award.SECOND,
    "二等奖": Award.SECOND,
    "third": Award.THIRD,
    "third prize": Award.THIRD,
    "三等奖": Award.THIRD,
    "honourable": Award.HONOURABLE,
    "honourable mention": Award.HONOURABLE,
    "优秀奖": Award.HONOURABLE,
}


def _student(number: str) -> AbstractBaseUser:
    enrolment = Enrolment.objects.filter(student_number=number).select_related("student").first()
    if enrolment is not None:
        return enrolment.student
    user = get_user_model().objects.filter(username=number).first()
    if user is None:
        raise ValidationError(_("No student with number “%(number)s”.") % {"number": number})
    return user


def _decimal(value: str, label: str) -> Decimal:
    try:
        return Decimal(value.replace(",", "."))
    except InvalidOperation as error:
        raise ValidationError(_("%(label)s “%(value)s” is not a number.") % {"label": label, "value": value}) from error


def import_competition_results(
    *, competition: CompetitionPage, rows: list[ImportRow], recorded_by: AbstractBaseUser, dry_run: bool = True
) -> ImportReport:
    rounds = list(RoundPage.objects.child_of(competition))
    tasks = {
        task.title.strip().lower(): task
        for task in Task.objects.filter(round__in=rounds).select_related("round").prefetch_related("criteria")
    }
    seen: set[tuple[str, str, str]] = set()
    awarded: set[tuple[str, int]] = set()

    def apply_row(row: ImportRow) -> str:
        values = row.values
        student = _student(values.get("student_number", ""))
        task = tasks.get(values.get("task", "").strip().lower())
        if task is None:
            raise ValidationError(
                _("“%(task)s” is not a task of %(competition)s.")
                % {"task": values.get("task", ""), "competition": competition.title}
            )
        criteria = list(task.criteria.all())
        criterion_title = values.get("criterion", "").strip()
        score = _decimal(values.get("score", ""), _("Score"))
        if criterion_title:
            chosen = [c for c in criteria if c.title.strip().lower() == criterion_title.lower()]
            if not chosen:
                raise ValidationError(
                    _("“%(criterion)s” is not a criterion of “%(task)s”.")
                    % {"criterion": criterion_title, "task": task.title}
                )
            limit = chosen[0].max_points
            points = {chosen[0]: score}
        else:
            limit = task.max_points
            points = {criterion: score / task.max_points * criterion.max_points for criterion in criteria}
        if not Decimal("0") <= score <= limit:
            raise ValidationError(_("Score %(score)s is outside 0–%(max)s.") % {"score": score, "max": limit})
        key = (values.get("student_number", ""), task.title, criterion_title.lower())
        if key in seen:
            raise ValidationError(_("This student, task and criterion appear twice in the file."))
        seen.add(key)
        done_on = _done_on(values.get("date", ""), task.round)
        team = values.get("team", "").strip()
        for criterion, criterion_points in points.items():
            _write_criterion(competition, team, criterion, criterion_points, student, done_on, recorded_by)
        award = values.get("award", "").strip()
        if award and (values.get("student_number", ""), task.round_id) not in awarded:
            awarded.add((values.get("student_number", ""), task.round_id))
            _write_award(competition, task.round, team, award, student, done_on, recorded_by)
        return "create"

    return run_rows(rows, apply_row, dry_run=dry_run)


def _done_on(value: str, round_page: RoundPage) -> date:
    if not value:
        return min(timezone.localdate(round_page.submission_deadline), timezone.localdate())
    try:
        return date.fromisoformat(value[:10])
    except ValueError as error:
        raise ValidationError(_("“%(date)s” is not a date like 2026-05-20.") % {"date": value}) from error


def _write_criterion(competition, team, criterion: Criterion, points, student, done_on, recorded_by) -> None:
    title = f"{competition.title} · {criterion.task.title} · {criterion.title}"
    if team:
        title = f"{title} ({team})"
    write_source(
        source=EvidenceSource(
            key=f"competitions.import:{competition.pk}:criterion:{criterion.pk}:student:{student.pk}",
            title=title,
            url=competition.url or "",
        ),
        drafts=criterion_drafts(criterion=criterion, points=points, students=[student], done_on=done_on),
        kind=TASK_KIND,
        recorded_by=recorded_by,
    )


def _write_award(competition, round_page, team, award, student, done_on, recorded_by) -> None:
    kind = AWARD_ALIASES.get(award.lower(), Award.CUSTOM)
    outcomes = list(CourseOutcome.objects.filter(criterion_alignments__criterion__task__round=round_page).distinct())
    write_source(
        source=EvidenceSource(
            key=f"competitions.import-award:{round_page.pk}:student:{student.pk}",
            title=f"{competition.title} · {round_page.title} · {award}" + (f" ({team})" if team else ""),
            url=competition.url or "",
        ),
        drafts=award_drafts(award=kind, outcomes=outcomes, students=[student], done_on=done_on),
        kind=AWARD_KIND,
        recorded_by=recorded_by,
    )
