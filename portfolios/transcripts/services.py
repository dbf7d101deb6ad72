"""State changes for transcripts: issuing (one student or a whole class), rendering, revoking, sharing.

Issuing freezes the snapshot and signs the credential in the request; the PDF is rendered afterwards by a
background task (``tasks.render_transcript_task``), written to storage atomically and only then recorded on the
transcript, so a worker killed half-way leaves no half-written file behind a transcript, and a retry starts
again from the snapshot.
"""

import hashlib
import os
import secrets
import tempfile
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.users.models import UserProfile

from courses.models import Cohort, Competency
from courses.roles import EMPLOYERS, has_role
from courses.uploads import private_storage
from portfolios.models import (
    RenderStatus,
    Transcript,
    TranscriptAccess,
    TranscriptBatch,
    TranscriptFeedback,
    TranscriptGrant,
    TranscriptLink,
)
from portfolios.transcripts import credential, permissions, signing
from portfolios.transcripts.snapshot import build_snapshot
from themes.models import BrandingSettings

LINK_TOKEN_BYTES = 24  # 192 bits
MAX_LINK_DAYS = 365


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _language_of(student: AbstractBaseUser) -> str:
    """The student's interface language, as chosen in their account, else the site's."""
    preferred = UserProfile.get_for_user(student).get_preferred_language()
    supported = {code for code, _name in settings.LANGUAGES}
    return preferred if preferred in supported else settings.LANGUAGE_CODE


def transcript_languages() -> list[tuple[str, str]]:
    """The languages a transcript can be written in: the site's."""
    return [(code, str(name)) for code, name in settings.LANGUAGES]


@transaction.atomic
def issue_transcript(
    *,
    student: AbstractBaseUser,
    issued_by: AbstractBaseUser,
    batch: TranscriptBatch | None = None,
    language: str | None = None,
) -> Transcript:
    """Freeze and sign the student's attainment as a new transcript; the previous one becomes superseded.

    The student may issue their own; teachers of the student's classes and administrators may issue any.
    ``language`` is one of :func:`transcript_languages`; without it, the student's account language. Employers
    the previous version was shared with are given the new one too (a link stays with the version it was made
    for, which verification then calls superseded).
    """
    if not permissions.may_issue(issued_by, student):
        raise PermissionDenied
    if language is not None and language not in dict(transcript_languages()):
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    previous = (
        Transcript.objects.select_for_update(of=("self",))
        .filter(student=student, superseded_by__isnull=True)
        .order_by("-version")
        .first()
    )
    language = language or _language_of(student)
    issued_at = timezone.now()
    site_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    try:
        snapshot = build_snapshot(
            student=student, language=language, issued_on=timezone.localdate(issued_at), site_url=site_url
        )
    except LookupError as error:
        raise ValidationError(
            _("%(name)s is not enrolled in a programme, so there is nothing to put on a transcript.")
            % {"name": student.get_username()}
        ) from error
    public_id = uuid.uuid4()
    try:
        clr = credential.build_clr(
            snapshot=snapshot, transcript_id=str(public_id), issued_at=issued_at, site_url=site_url
        )
    except credential.NothingAttained as error:
        raise ValidationError(
            _("%(name)s has not attained any competency yet, so there is nothing to certify.")
            % {"name": snapshot["student"]["name"]}
        ) from error
    transcript = Transcript.objects.create(
        public_id=public_id,
        student=student,
        version=(previous.version + 1) if previous else 1,
        language=language,
        snapshot=snapshot,
        credential=signing.sign_vc_jwt(clr),
        issued_by=issued_by,
        issued_at=issued_at,
        batch=batch,
        supersedes=previous,
    )
    if previous is not None:
        _share_with_the_same_employers(previous=previous, transcript=transcript)
    if batch is None:  # a batch's task renders what it issues itself (tasks.issue_batch_transcript_task)
        transaction.on_commit(lambda: _enqueue_render(transcript.pk))
    return transcript


def _share_with_the_same_employers(*, previous: Transcript, transcript: Transcript) -> None:
    for grant in TranscriptGrant.objects.filter(transcript=previous, revoked_at__isnull=True).select_related(
        "employer"
    ):
        TranscriptGrant.objects.create(transcript=transcript, employer=grant.employer)
        permissions.grant_view(transcript=transcript, employer=grant.employer)


def _enqueue_render(transcript_id: int) -> None:
    from portfolios.transcripts.tasks import render_transcript_task

    render_transcript_task.enqueue(transcript_id)


def issue_for_cohort(*, cohort: Cohort, issued_by: AbstractBaseUser) -> TranscriptBatch:
    """Issue a transcript for every student of a class, in the background; progress is read from the batch."""
    if not permissions.may_issue_for_cohort(issued_by, cohort):
        raise PermissionDenied
    student_ids = list(cohort.enrolments.values_list("student_id", flat=True).order_by("student_number"))
    if not student_ids:
        raise ValidationError(_("%(cohort)s has no students.") % {"cohort": cohort})
    with transaction.atomic():
        batch = TranscriptBatch.objects.create(cohort=cohort, requested_by=issued_by, total=len(student_ids))
        transaction.on_commit(lambda: _enqueue_batch(batch.pk, student_ids))
    return batch


def _enqueue_batch(batch_id: int, student_ids: list[int]) -> None:
    from portfolios.transcripts.tasks import issue_batch_transcript_task

    for student_id in student_ids:
        issue_batch_transcript_task.enqueue(batch_id, student_id)


#: A rendering claimed longer ago than this is taken to be abandoned (its worker died or was killed): a two-page
#: transcript renders in under a second, a class's batch queues them for a few minutes at most.
ABANDONED_AFTER = timedelta(minutes=10)


def _claim_rendering(transcript: Transcript) -> bool:
    """Mark the transcript as being rendered by this worker, unless it is done or another worker holds it.

    One conditional UPDATE, so two workers given the same transcript (a retry, a requeue) never both render it.
    """
    now = timezone.now()
    abandoned = Q(render_status=RenderStatus.RENDERING) & (
        Q(render_started_at__isnull=True) | Q(render_started_at__lt=now - ABANDONED_AFTER)
    )
    claimable = Q(render_status__in=[RenderStatus.PENDING, RenderStatus.FAILED]) | abandoned
    return bool(
        Transcript.objects.filter(claimable, pk=transcript.pk).update(
            render_status=RenderStatus.RENDERING, render_started_at=now, render_error=""
        )
    )


def render_transcript(*, transcript: Transcript) -> Transcript:
    """Render the PDF from the frozen snapshot and record it.

    A no-op when it is already rendered or another worker is rendering it (see ``_claim_rendering``).
    """
    from portfolios.transcripts import pdf

    if transcript.render_status == RenderStatus.DONE and transcript.pdf:
        return transcript
    if not _claim_rendering(transcript):
        transcript.refresh_from_db()
        return transcript
    try:
        content = pdf.render_transcript_pdf(
            snapshot=transcript.snapshot,
            verification_url=verification_url(transcript),
            verification_code=transcript.verification_code,
            credential_jwt=transcript.credential,
            branding=pdf.branding_from_settings(BrandingSettings.objects.order_by("pk").first()),
            base_url=settings.WAGTAILADMIN_BASE_URL,
        )
    except Exception as error:
        Transcript.objects.filter(pk=transcript.pk).update(render_status=RenderStatus.FAILED, render_error=str(error))
        raise
    name = f"transcripts/{transcript.issued_at:%Y/%m}/{transcript.public_id}-{secrets.token_hex(4)}.pdf"
    stored = save_atomically(private_storage(), name, content)
    Transcript.objects.filter(pk=transcript.pk).update(
        pdf=stored,
        pdf_sha256=hashlib.sha256(content).hexdigest(),
        render_status=RenderStatus.DONE,
        rendered_at=timezone.now(),
    )
    transcript.refresh_from_db()
    return transcript


def requeue_unfinished_renders(*, older_than: timedelta = ABANDONED_AFTER, failed: bool = False) -> int:
    """Enqueue the rendering again for transcripts left unfinished: issued but never picked up, or claimed by a
    worker that died. Run it now and then (``manage.py render_unfinished_transcripts``, from cron); with
    ``failed`` also those whose rendering raised an error (after fixing its cause). Returns how many."""
    cutoff = timezone.now() - older_than
    unfinished = Q(render_status=RenderStatus.PENDING, issued_at__lt=cutoff) | (
        Q(render_status=RenderStatus.RENDERING) & (Q(render_started_at__isnull=True) | Q(render_started_at__lt=cutoff))
    )
    if failed:
        unfinished |= Q(render_status=RenderStatus.FAILED)
    transcript_ids = list(Transcript.objects.filter(unfinished).values_list("pk", flat=True))
    for transcript_id in transcript_ids:
        _enqueue_render(transcript_id)
    return len(transcript_ids)


def remove_abandoned_partial_files(*, storage: Storage | None = None, older_than: timedelta = ABANDONED_AFTER) -> int:
    """Delete the temporary ``.part`` files a killed worker left in the transcripts folder (local storage only;
    object stores never publish a partial upload). Returns how many."""
    storage = storage or private_storage()
    try:
        root = storage.path("transcripts")
    except NotImplementedError:
        return 0
    cutoff = (timezone.now() - older_than).timestamp()
    removed = 0
    for folder, _folders, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            if name.endswith(".part") and os.path.getmtime(path) < cutoff:
                os.unlink(path)
                removed += 1
    return removed


def save_atomically(storage: Storage, name: str, content: bytes) -> str:
    """Store ``content`` so that ``name`` never holds a partial file.

    On a local file system the bytes go to a temporary file in the same folder, are flushed to disk, and are
    then renamed into place (``os.replace`` is atomic). Object stores (S3) publish an object only when its
    upload completes, so they are given the bytes directly.
    """
    try:
        final_path = storage.path(name)
    except NotImplementedError:
        return storage.save(name, ContentFile(content))
    os.makedirs(os.path.dirname(final_path), exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(final_path), suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, final_path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return name


def verification_url(transcript: Transcript) -> str:
    from django.urls import reverse

    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("transcripts:verify_code", args=[transcript.verification_code])


@transaction.atomic
def revoke_transcript(*, transcript: Transcript, revoked_by: AbstractBaseUser, reason: str) -> Transcript:
    """Withdraw a transcript's validity at once, with the reason; verification then answers "revoked"."""
    if not permissions.may_revoke(revoked_by, transcript):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the transcript is revoked; the reason is kept with it.")})
    transcript = Transcript.objects.select_for_update().get(pk=transcript.pk)
    if transcript.revoked_at is not None:
        raise ValidationError(_("This transcript is already revoked."))
    transcript.revoked_at = timezone.now()
    transcript.revoked_by = revoked_by
    transcript.revocation_reason = reason.strip()
    transcript.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    return transcript


def _own(transcript: Transcript, student: AbstractBaseUser) -> None:
    if transcript.student_id != student.pk:
        raise PermissionDenied


@transaction.atomic
def grant_to_employer(
    *, transcript: Transcript, student: AbstractBaseUser, employer: AbstractBaseUser
) -> TranscriptGrant:
    _own(transcript, student)
    if not has_role(employer, EMPLOYERS):
        raise ValidationError(_("%(name)s is not registered as an employer.") % {"name": employer.get_username()})
    if transcript.revoked_at is not None:
        raise ValidationError(_("A revoked transcript cannot be shared."))
    grant = TranscriptGrant.objects.filter(transcript=transcript, employer=employer, revoked_at__isnull=True).first()
    if grant is None:
        grant = TranscriptGrant.objects.create(transcript=transcript, employer=employer)
    permissions.grant_view(transcript=transcript, employer=employer)
    return grant


@transaction.atomic
def revoke_grant(*, grant: TranscriptGrant, student: AbstractBaseUser) -> TranscriptGrant:
    _own(grant.transcript, student)
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        permissions.revoke_view(transcript=grant.transcript, employer=grant.employer)
    return grant


def create_link(
    *, transcript: Transcript, student: AbstractBaseUser, expires_at: datetime, label: str = ""
) -> tuple[TranscriptLink, str]:
    """A secret link; returns the link and its token, which is shown once and stored only as a hash."""
    _own(transcript, student)
    now = timezone.now()
    if transcript.revoked_at is not None:
        raise ValidationError(_("A revoked transcript cannot be shared."))
    if expires_at <= now:
        raise ValidationError({"expires_at": _("Choose an expiry date in the future.")})
    if expires_at > now + timedelta(days=MAX_LINK_DAYS):
        raise ValidationError({"expires_at": _("A link can last at most a year.")})
    token = secrets.token_urlsafe(LINK_TOKEN_BYTES)
    link = TranscriptLink.objects.create(
        transcript=transcript, token_sha256=token_digest(token), expires_at=expires_at, label=label.strip()[:120]
    )
    return link, token


def revoke_link(*, link: TranscriptLink, student: AbstractBaseUser) -> TranscriptLink:
    _own(link.transcript, student)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link


def record_access(
    *, transcript: Transcript, kind: str, user: AbstractBaseUser | None = None, link: TranscriptLink | None = None
) -> None:
    """Log an opening by someone other than the student (the student's own views are not logged)."""
    if user is not None and user.is_authenticated and user.pk == transcript.student_id:
        return
    TranscriptAccess.objects.create(
        transcript=transcript,
        kind=kind,
        user=user if user is not None and user.is_authenticated else None,
        link=link,
    )


@transaction.atomic
def give_feedback(
    *, transcript: Transcript, employer: AbstractBaseUser, competency: Competency, importance: int, comment: str
) -> TranscriptFeedback:
    """An employer's feedback on one competency; giving it again supersedes the earlier one."""
    if not permissions.has_grant(employer, transcript):
        raise PermissionDenied
    if not any(row["id"] == competency.pk for row in transcript.snapshot.get("competencies", [])):
        raise ValidationError(_("That competency is not on this transcript."))
    if not 1 <= int(importance) <= 5:
        raise ValidationError({"importance": _("Choose from 1 (not needed) to 5 (essential).")})
    previous = (
        TranscriptFeedback.objects.select_for_update(of=("self",))
        .filter(transcript=transcript, employer=employer, competency=competency, superseded_by__isnull=True)
        .first()
    )
    return TranscriptFeedback.objects.create(
        transcript=transcript,
        employer=employer,
        competency=competency,
        importance=int(importance),
        comment=comment.strip(),
        supersedes=previous,
    )
