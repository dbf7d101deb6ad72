"""Reads for transcripts: a student's versions, what is shared with an employer, the access log, a batch's
progress, and the answers of the public verification page. No side effects."""

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, F, Max, Q, QuerySet, Sum, Window
from django.utils.translation import gettext_lazy as _

from courses.models import Cohort, Enrolment
from portfolios.models import (
    RenderStatus,
    Transcript,
    TranscriptAccess,
    TranscriptBatch,
    TranscriptFeedback,
    TranscriptGrant,
    TranscriptLink,
)
from portfolios.transcripts import permissions, signing


def transcripts_of(*, student: AbstractBaseUser) -> QuerySet[Transcript]:
    return (
        Transcript.objects.filter(student=student)
        .select_related("issued_by", "revoked_by", "superseded_by")
        .order_by("-version")
    )


def grants_of(*, transcript: Transcript) -> QuerySet[TranscriptGrant]:
    return TranscriptGrant.objects.filter(transcript=transcript).select_related("employer").order_by("-granted_at")


def links_of(*, transcript: Transcript) -> QuerySet[TranscriptLink]:
    return TranscriptLink.objects.filter(transcript=transcript).order_by("-created_at")


def access_log(*, transcript: Transcript) -> QuerySet[TranscriptAccess]:
    return TranscriptAccess.objects.filter(transcript=transcript).select_related("user", "link").order_by("-at")


def shared_with_employer(*, employer: AbstractBaseUser) -> QuerySet[Transcript]:
    """The transcripts granted to the employer (and still held), in one query: each student's versions together,
    newest version first, and the students by their newest shared version, the latest first.

    Re-issuing shares the new version with the same employers, so one student may appear with several versions;
    "Shared with me" shows the first of each student's run and lists the others under it."""
    return (
        permissions.shared_with(employer)
        .select_related("student", "superseded_by")
        .annotate(student_latest=Window(Max("issued_at"), partition_by=[F("student_id")]))
        .order_by("-student_latest", "student_id", "-version")
    )


@dataclass(frozen=True)
class BatchProgress:
    total: int
    done: int
    failed: int
    skipped: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def finished(self) -> bool:
        return self.done + self.failed + self.skipped >= self.total


def batch_progress(*, batch: TranscriptBatch) -> BatchProgress:
    counts = Transcript.objects.filter(batch=batch).aggregate(
        done=Count("pk", filter=Q(render_status=RenderStatus.DONE)),
        failed=Count("pk", filter=Q(render_status=RenderStatus.FAILED)),
    )
    return BatchProgress(total=batch.total, done=counts["done"], failed=counts["failed"], skipped=batch.skips.count())


class Verdict:
    VALID = "valid"
    SUPERSEDED = "superseded"
    REVOKED = "revoked"
    NOT_GENUINE = "not_genuine"


VERDICT_LABELS = {
    Verdict.VALID: _("Valid"),
    Verdict.SUPERSEDED: _("Superseded by a newer transcript"),
    Verdict.REVOKED: _("Revoked"),
    Verdict.NOT_GENUINE: _("Not genuine"),
}


@dataclass(frozen=True)
class Verification:
    verdict: str
    transcript: Transcript | None = None

    @property
    def label(self) -> str:
        return str(VERDICT_LABELS[self.verdict])


def _verdict_for(transcript: Transcript | None) -> Verification:
    if transcript is None:
        return Verification(Verdict.NOT_GENUINE)
    if transcript.revoked_at is not None:
        return Verification(Verdict.REVOKED, transcript)
    if hasattr(transcript, "superseded_by"):
        return Verification(Verdict.SUPERSEDED, transcript)
    return Verification(Verdict.VALID, transcript)


def standing(*, transcript: Transcript) -> Verification:
    """Whether a transcript is valid, superseded or revoked (as the verification page would answer)."""
    return _verdict_for(transcript)


def _issued() -> QuerySet[Transcript]:
    return Transcript.objects.select_related("student", "superseded_by")


def verify_code(*, code: str) -> Verification:
    return _verdict_for(_issued().filter(verification_code=code.strip().upper()).first())


def verify_pdf(*, content: bytes) -> Verification:
    """A PDF is genuine only if it is byte for byte the file that was issued."""
    digest = hashlib.sha256(content).hexdigest()
    return _verdict_for(_issued().filter(pdf_sha256=digest).first())


def verify_credential(*, token: str) -> Verification:
    """A credential is genuine if its signature verifies with our key and it is one we issued, unchanged."""
    token = token.strip()
    try:
        signing.verify_vc_jwt(token)
    except signing.InvalidCredential:
        return Verification(Verdict.NOT_GENUINE)
    return _verdict_for(_issued().filter(credential=token).first())


# --- For the pages: feedback, and cohort issuing ---------------------------------------------------------------


def feedback_given(*, transcript: Transcript, employer: AbstractBaseUser) -> QuerySet[TranscriptFeedback]:
    """The employer's current feedback on a transcript (the latest per competency), by competency code."""
    return (
        TranscriptFeedback.objects.filter(transcript=transcript, employer=employer, superseded_by__isnull=True)
        .select_related("competency")
        .order_by("competency__code")
    )


def cohorts_for_issuing(*, user: AbstractBaseUser) -> QuerySet[Cohort]:
    """The classes whose transcripts the user may issue (all of them for administrators), with head counts."""
    cohorts = Cohort.objects.all() if user.is_superuser else Cohort.objects.filter(teachers=user)
    return (
        cohorts.select_related("programme")
        .annotate(students=Count("enrolments", distinct=True))
        .order_by("-entry_year", "programme__name", "name")
    )


def recent_batches(*, user: AbstractBaseUser, limit: int = 10) -> list[tuple[TranscriptBatch, BatchProgress]]:
    """The latest cohort issuing requests for the user's classes, each with its progress (one query for all)."""
    cohorts = cohorts_for_issuing(user=user).values("pk")
    batches = (
        TranscriptBatch.objects.filter(cohort__in=cohorts)
        .select_related("cohort", "requested_by")
        .annotate(
            done=Count("transcripts", filter=Q(transcripts__render_status=RenderStatus.DONE)),
            failed=Count("transcripts", filter=Q(transcripts__render_status=RenderStatus.FAILED)),
        )
        .order_by("-requested_at", "-pk")[:limit]
    )
    return [(batch, BatchProgress(total=batch.total, done=batch.done, failed=batch.failed)) for batch in batches]


def classes_of_student(*, student: AbstractBaseUser, user: AbstractBaseUser) -> QuerySet[Cohort]:
    """The student's classes that the user may issue for (all of them for administrators), newest first."""
    cohorts = Cohort.objects.filter(enrolments__student=student)
    if not user.is_superuser:
        cohorts = cohorts.filter(teachers=user)
    return cohorts.select_related("programme").distinct().order_by("-entry_year", "programme__name", "name")


def class_transcripts(*, cohort: Cohort) -> list[tuple[Enrolment, Transcript | None]]:
    """Each student of the class (by student number) with their newest transcript, or None: two queries."""
    enrolments = list(cohort.enrolments.select_related("student").order_by("student_number", "pk"))
    newest = {
        transcript.student_id: transcript
        for transcript in Transcript.objects.filter(
            student__in=[enrolment.student_id for enrolment in enrolments], superseded_by__isnull=True
        ).order_by("version")
    }
    return [(enrolment, newest.get(enrolment.student_id)) for enrolment in enrolments]


@dataclass(frozen=True)
class EmployerImportance:
    """Employers' answers on one competency: how much it matters to them, 1 (not needed) to 5 (essential)."""

    mean: Decimal
    answers: int

    @property
    def weight(self) -> Decimal:
        """The mean on the framework's demand-weight scale, 0 to 100: 1 → 0, 3 → 50, 5 → 100."""
        return ((self.mean - 1) / 4 * 100).quantize(Decimal("0.1"))


def employer_importance(*, competency_ids: list[int]) -> dict[int, EmployerImportance]:
    """Each competency's current employer feedback (superseded answers left out), in one query."""
    rows = (
        TranscriptFeedback.objects.filter(competency_id__in=competency_ids, superseded_by__isnull=True)
        .values("competency_id")
        .annotate(total=Sum("importance"), answers=Count("pk"))
    )
    return {
        row["competency_id"]: EmployerImportance(
            mean=(Decimal(row["total"]) / row["answers"]).quantize(Decimal("0.01")), answers=row["answers"]
        )
        for row in rows
    }
