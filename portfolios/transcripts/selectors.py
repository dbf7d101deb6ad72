"""Reads for transcripts: a student's versions, what is shared with an employer, the access log, a batch's
progress, and the answers of the public verification page. No side effects."""

import hashlib
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from portfolios.models import (
    RenderStatus,
    Transcript,
    TranscriptAccess,
    TranscriptBatch,
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
    return permissions.shared_with(employer).select_related("student", "superseded_by").order_by("-issued_at")


@dataclass(frozen=True)
class BatchProgress:
    total: int
    done: int
    failed: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def finished(self) -> bool:
        return self.done + self.failed >= self.total


def batch_progress(*, batch: TranscriptBatch) -> BatchProgress:
    counts = Transcript.objects.filter(batch=batch).aggregate(
        done=Count("pk", filter=Q(render_status=RenderStatus.DONE)),
        failed=Count("pk", filter=Q(render_status=RenderStatus.FAILED)),
    )
    return BatchProgress(total=batch.total, done=counts["done"], failed=counts["failed"])


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
