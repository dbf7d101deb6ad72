"""State changes in the courses core: the evidence ledger, enrolments and assessment results.

competitions and portfolios write evidence only through ``record_evidence`` and ``replace_source_evidence``.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import (
    AssessmentResult,
    Cohort,
    Competency,
    CourseAssessment,
    CourseOutcome,
    Enrolment,
    EvidenceRecord,
    EvidenceSourceKind,
    ProficiencyLevel,
    ProficiencyScale,
)

TWO_PLACES = Decimal("0.01")


def scale_for(*, outcome: CourseOutcome | None = None, competency: Competency | None = None) -> ProficiencyScale:
    """The scale evidence about an outcome or competency is scored on: its framework's scale."""
    if competency is not None:
        return competency.framework.scale
    cached = getattr(outcome, "_evidence_scale", None)  # one lookup per outcome object, e.g. while finalising
    if cached is not None:
        return cached
    alignment = outcome.alignments.select_related("competency__framework__scale").first()
    if alignment is None:
        raise ValidationError(
            _("Outcome %(outcome)s is not aligned to any competency, so evidence of it cannot be scored.")
            % {"outcome": outcome}
        )
    outcome._evidence_scale = alignment.competency.framework.scale
    return outcome._evidence_scale


def level_for_score(*, scale: ProficiencyScale, score: Decimal) -> ProficiencyLevel | None:
    """The highest level whose points the score reaches."""
    reached = [level for level in scale.levels_by_points if level.points <= score]
    return reached[-1] if reached else None


def top_points(scale: ProficiencyScale) -> Decimal:
    """The points of the scale's highest level: the top of every normalised score."""
    levels = scale.levels_by_points
    return levels[-1].points if levels else Decimal("0")


def normalise_score(*, raw: Decimal, out_of: Decimal, scale: ProficiencyScale) -> Decimal:
    """Rescale a raw mark (0–out_of) to the scale's points (0–maximum level points)."""
    top = top_points(scale)
    return (Decimal(raw) / Decimal(out_of) * top).quantize(TWO_PLACES)


@dataclass(frozen=True)
class EvidenceDraft:
    """One row a source wants in the ledger; ``replace_source_evidence`` reconciles drafts with what is there."""

    student: AbstractBaseUser
    score: Decimal
    done_on: date
    outcome: CourseOutcome | None = None
    competency: Competency | None = None
    weight: Decimal = Decimal("1")
    note: str = ""


def record_evidence(
    *,
    student: AbstractBaseUser,
    score: Decimal,
    done_on: date,
    source_kind: str,
    source_title: str,
    recorded_by: AbstractBaseUser,
    outcome: CourseOutcome | None = None,
    competency: Competency | None = None,
    source_url: str = "",
    source_key: str = "",
    note: str = "",
    weight: Decimal = Decimal("1"),
    supersedes: EvidenceRecord | None = None,
) -> EvidenceRecord:
    """Append one evidence row; never updates an existing one."""
    weight = Decimal(weight).quantize(TWO_PLACES)
    if not Decimal("0") < weight <= Decimal("1"):
        raise ValidationError(_("An evidence weight must be above 0 and at most 1 (got %(w)s).") % {"w": weight})
    if (outcome is None) == (competency is None):
        raise ValidationError(_("Evidence names either a course outcome or a competency, not both or neither."))
    if source_kind not in EvidenceSourceKind.values:
        raise ValidationError(_("Unknown evidence source “%(kind)s”.") % {"kind": source_kind})
    scale = scale_for(outcome=outcome, competency=competency)
    top = top_points(scale)
    score = Decimal(score).quantize(TWO_PLACES)
    if not Decimal("0") <= score <= top:
        raise ValidationError(
            _("Score %(score)s is outside the scale “%(scale)s” (0 to %(top)s).")
            % {"score": score, "scale": scale, "top": top}
        )
    if done_on > timezone.localdate():
        raise ValidationError(_("Evidence cannot be dated in the future (%(date)s).") % {"date": done_on})
    with transaction.atomic():
        return EvidenceRecord.objects.create(
            student=student,
            outcome=outcome,
            competency=competency,
            score=score,
            weight=weight,
            level=level_for_score(scale=scale, score=score),
            done_on=done_on,
            source_kind=source_kind,
            source_title=source_title[:255],
            source_url=source_url,
            source_key=source_key,
            recorded_by=recorded_by,
            note=note,
            supersedes=supersedes,
        )


def supersede_evidence(
    *,
    record: EvidenceRecord,
    score: Decimal,
    recorded_by: AbstractBaseUser,
    note: str,
    done_on: date | None = None,
) -> EvidenceRecord:
    """Correct a row: a new row with the new score replaces it; the old row stays in the ledger."""
    if not note.strip():
        raise ValidationError(_("Say why the evidence is being corrected."))
    with transaction.atomic():
        current = EvidenceRecord.objects.select_for_update().get(pk=record.pk)
        if hasattr(current, "superseded_by"):
            raise ValidationError(_("This evidence has already been corrected; correct the newest version."))
        return record_evidence(
            student=current.student,
            outcome=current.outcome,
            competency=current.competency,
            score=score,
            weight=current.weight,
            done_on=done_on or current.done_on,
            source_kind=current.source_kind,
            source_title=current.source_title,
            source_url=current.source_url,
            source_key=current.source_key,
            recorded_by=recorded_by,
            note=note,
            supersedes=current,
        )


def retract_evidence(*, record: EvidenceRecord, recorded_by: AbstractBaseUser, note: str) -> EvidenceRecord:
    """Withdraw a row: a retraction row supersedes it, and neither counts towards attainment."""
    if not note.strip():
        raise ValidationError(_("Say why the evidence is being withdrawn."))
    with transaction.atomic():
        current = EvidenceRecord.objects.select_for_update().get(pk=record.pk)
        if hasattr(current, "superseded_by"):
            raise ValidationError(_("This evidence has already been corrected or withdrawn."))
        return EvidenceRecord.objects.create(
            student=current.student,
            outcome=current.outcome,
            competency=current.competency,
            score=current.score,
            weight=current.weight,
            level=current.level,
            done_on=current.done_on,
            source_kind=current.source_kind,
            source_title=current.source_title,
            source_url=current.source_url,
            source_key=current.source_key,
            recorded_by=recorded_by,
            note=note,
            supersedes=current,
            is_retraction=True,
        )


@transaction.atomic
def replace_source_evidence(
    *,
    source_key: str,
    drafts: list[EvidenceDraft],
    source_kind: str,
    source_title: str,
    recorded_by: AbstractBaseUser,
    source_url: str = "",
    note: str = "",
) -> list[EvidenceRecord]:
    """Make the ledger's active rows for one source equal ``drafts``.

    A draft about the same student and outcome/competency as an active row supersedes it (unchanged rows
    are left alone); active rows no draft mentions are retracted; other drafts are new rows. Re-running a
    source (re-finalising a round, correcting a result) therefore never duplicates evidence.
    """
    if not source_key:
        raise ValidationError(_("A source key is needed to reconcile evidence."))
    current = {
        (row.student_id, row.outcome_id, row.competency_id): row
        for row in EvidenceRecord.objects.active().select_for_update(of=("self",)).filter(source_key=source_key)
    }
    written = []
    for draft in drafts:
        key = (
            draft.student.pk,
            draft.outcome.pk if draft.outcome else None,
            draft.competency.pk if draft.competency else None,
        )
        existing = current.pop(key, None)
        score = Decimal(draft.score).quantize(TWO_PLACES)
        weight = Decimal(draft.weight).quantize(TWO_PLACES)
        unchanged = existing is not None and (existing.score, existing.done_on, existing.weight) == (
            score,
            draft.done_on,
            weight,
        )
        if unchanged:
            continue
        written.append(
            record_evidence(
                student=draft.student,
                outcome=draft.outcome,
                competency=draft.competency,
                score=score,
                weight=weight,
                done_on=draft.done_on,
                source_kind=source_kind,
                source_title=source_title,
                source_url=source_url,
                source_key=source_key,
                recorded_by=recorded_by,
                note=draft.note or note,
                supersedes=existing,
            )
        )
    for stale in current.values():
        written.append(
            retract_evidence(record=stale, recorded_by=recorded_by, note=note or _("No longer part of this source."))
        )
    return written


def enrol_student(*, cohort: Cohort, student: AbstractBaseUser, student_number: str, enrolled_on: date) -> Enrolment:
    """Enrol a student in a cohort; enrolling the same student again returns the existing enrolment."""
    clash = Enrolment.objects.filter(cohort=cohort, student_number=student_number).exclude(student=student).first()
    if clash is not None:
        raise ValidationError(
            _("Student number %(number)s already belongs to %(name)s in %(cohort)s.")
            % {"number": student_number, "name": clash.student.get_full_name(), "cohort": cohort}
        )
    enrolment, _created = Enrolment.objects.get_or_create(
        cohort=cohort, student=student, defaults={"student_number": student_number, "enrolled_on": enrolled_on}
    )
    return enrolment


def assessment_source_key(*, assessment: CourseAssessment, student: AbstractBaseUser) -> str:
    return f"courses.assessment:{assessment.pk}:student:{student.pk}"


def record_assessment_result(
    *, assessment: CourseAssessment, student: AbstractBaseUser, score: Decimal, recorded_by: AbstractBaseUser
) -> AssessmentResult:
    """Record (or correct) a student's result and turn it into evidence for each assessed outcome."""
    score = Decimal(score)
    if not Decimal("0") <= score <= assessment.max_score:
        raise ValidationError(
            _("Score %(score)s is outside 0–%(max)s for “%(assessment)s”.")
            % {"score": score, "max": assessment.max_score, "assessment": assessment.title}
        )
    with transaction.atomic():
        previous = (
            AssessmentResult.objects.select_for_update(of=("self",))
            .filter(assessment=assessment, student=student, superseded_by__isnull=True)
            .first()
        )
        if previous is not None and previous.score == score:
            return previous
        result = AssessmentResult.objects.create(
            assessment=assessment, student=student, score=score, recorded_by=recorded_by, supersedes=previous
        )
        drafts = []
        for outcome in assessment.outcomes.all():
            scale = scale_for(outcome=outcome)
            drafts.append(
                EvidenceDraft(
                    student=student,
                    outcome=outcome,
                    score=normalise_score(raw=score, out_of=assessment.max_score, scale=scale),
                    done_on=assessment.held_on,
                )
            )
        replace_source_evidence(
            source_key=assessment_source_key(assessment=assessment, student=student),
            drafts=drafts,
            source_kind=EvidenceSourceKind.COURSE_ASSESSMENT,
            source_title=f"{assessment.course.title} · {assessment.title}",
            source_url=assessment.course.url or "",
            recorded_by=recorded_by,
            note=_("Corrected result") if previous is not None else "",
        )
        return result
