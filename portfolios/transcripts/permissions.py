"""Who may issue, see, revoke and share transcripts.

- The student sees, issues and shares their own transcripts.
- Teachers of the student's classes (``Cohort.teachers``) and site administrators see and issue them, and may
  revoke one.
- Employers see a transcript a student granted them (guardian's ``view_shared_transcript``, granted and
  removed with a :class:`~portfolios.models.TranscriptGrant`).
- Anyone holding a live secret link sees that one transcript (:func:`access_by_token`).

Gates answer 404 for both "does not exist" and "not yours".
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from courses.models import Cohort
from portfolios.models import Transcript, TranscriptBatch, TranscriptLink
from portfolios.permissions import teaches_student

VIEW_SHARED = "portfolios.view_shared_transcript"


def may_issue(user: AbstractBaseUser, student: AbstractBaseUser) -> bool:
    if not user.is_authenticated:
        return False
    return user.pk == student.pk or teaches_student(user, student.pk)


def may_issue_for_cohort(user: AbstractBaseUser, cohort: Cohort) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or cohort.teachers.filter(pk=user.pk).exists()


def may_revoke(user: AbstractBaseUser, transcript: Transcript) -> bool:
    return teaches_student(user, transcript.student_id)


def shared_with(user: AbstractBaseUser) -> QuerySet[Transcript]:
    """Transcripts an employer account was granted (and still holds)."""
    if not user.is_authenticated:
        return Transcript.objects.none()
    return get_objects_for_user(
        user, VIEW_SHARED, Transcript.objects.all(), accept_global_perms=False, with_superuser=False
    )


def has_grant(user: AbstractBaseUser, transcript: Transcript) -> bool:
    return shared_with(user).filter(pk=transcript.pk).exists()


def transcripts_visible_to(user: AbstractBaseUser) -> QuerySet[Transcript]:
    """The student's own, their classes' (for teachers), and those granted to an employer while not revoked:
    revoking a transcript ends every employer's access at once, as it ends every link's."""
    if not user.is_authenticated:
        return Transcript.objects.none()
    if user.is_superuser:
        return Transcript.objects.all()
    taught = Cohort.objects.filter(teachers=user).values("enrolments__student")
    return (
        Transcript.objects.filter(student=user)
        | Transcript.objects.filter(student__in=taught)
        | Transcript.objects.filter(pk__in=shared_with(user).filter(revoked_at__isnull=True).values("pk"))
    )


def access_transcript(user: AbstractBaseUser, pk: int) -> Transcript:
    return get_object_or_404(transcripts_visible_to(user).select_related("student"), pk=pk)


def access_own_transcript(user: AbstractBaseUser, pk: int) -> Transcript:
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(Transcript.objects.select_related("student"), pk=pk, student=user)


def access_by_token(token: str) -> TranscriptLink:
    """The live link with this token: not revoked, not expired, and its transcript not revoked."""
    from portfolios.transcripts.services import token_digest

    link = TranscriptLink.objects.select_related("transcript__student").filter(token_sha256=token_digest(token)).first()
    if link is None:
        raise Http404
    if link.revoked_at is not None:
        raise Http404
    if link.expires_at <= timezone.now():
        raise Http404
    if link.transcript.revoked_at is not None:
        raise Http404
    return link


def grant_view(*, transcript: Transcript, employer: AbstractBaseUser) -> None:
    assign_perm(VIEW_SHARED, employer, transcript)


def revoke_view(*, transcript: Transcript, employer: AbstractBaseUser) -> None:
    remove_perm(VIEW_SHARED, employer, transcript)


def access_cohort_for_issuing(user: AbstractBaseUser, pk: int) -> Cohort:
    """A class whose transcripts the user may issue: one they teach (any, for administrators)."""
    if not user.is_authenticated:
        raise Http404
    cohorts = Cohort.objects.select_related("programme")
    if not user.is_superuser:
        cohorts = cohorts.filter(teachers=user)
    return get_object_or_404(cohorts, pk=pk)


def access_batch(user: AbstractBaseUser, pk: int) -> TranscriptBatch:
    """A cohort issuing request, for the teachers of its class (and administrators)."""
    batch = get_object_or_404(TranscriptBatch.objects.select_related("cohort__programme", "requested_by"), pk=pk)
    if not may_issue_for_cohort(user, batch.cohort):
        raise Http404
    return batch


def access_student_for_teacher(user: AbstractBaseUser, pk: int) -> AbstractBaseUser:
    """A student of one of the user's classes (any student, for administrators)."""
    from django.contrib.auth import get_user_model

    student = get_object_or_404(get_user_model(), pk=pk)
    if not teaches_student(user, student.pk):
        raise Http404
    return student
