"""State changes in portfolios: artefacts and their versions, the review workflow, ordering and sharing.

The workflow (``ArtefactStatus``)::

    draft ──request_review──▶ in_review ──sign_off──▶ signed_off
      ▲                          │                        │
      └──────cancel_review───────┘     respond (a new version) ──▶ in_review

Every edit is a new version; a signed-off artefact is locked until the student responds with a new version.
Signing off writes the artefact's evidence rows through ``courses.services.replace_source_evidence``, so a
later sign-off supersedes the earlier rows.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from courses.hooks import student_works
from courses.models import (
    Competency,
    CompetencyFramework,
    CourseOutcome,
    CoursePage,
    CourseTeacher,
    EvidenceSourceKind,
    ProficiencyLevel,
)
from courses.roles import EMPLOYERS, MENTORS, has_role
from courses.selectors import framework_for_student
from courses.services import EvidenceDraft, replace_source_evidence
from courses.uploads import validate_upload
from portfolios import permissions
from portfolios.models import (
    Artefact,
    ArtefactKind,
    ArtefactReview,
    ArtefactStatus,
    ArtefactVersion,
    PortfolioIndexPage,
    PortfolioPage,
    PortfolioShare,
    ReviewVerdict,
    Visibility,
)
from themes.sanitiser import sanitise_html
from themes.templatetags.themes_tags import person_name

#: Files an artefact may carry: documents, images (certificate scans, screenshots), archives of work.
ARTEFACT_FILE_KINDS = {"pdf", "png", "jpeg", "gif", "webp", "docx", "xlsx", "pptx", "zip", "txt"}

#: Fields each kind must fill in besides title and date.
REQUIRED_FIELDS = {
    ArtefactKind.COMPETITION_ENTRY: ("linked_work_key",),
    ArtefactKind.COURSE_WORK: ("course",),
    ArtefactKind.INTERNSHIP: ("enterprise", "mentor"),
    ArtefactKind.CERTIFICATE: ("issuer", "certificate_number"),
    ArtefactKind.PRACTICE: ("platform",),
    ArtefactKind.REFLECTION: (),
}

#: Evidence source kind written for each artefact kind.
EVIDENCE_SOURCE = {
    ArtefactKind.CERTIFICATE: EvidenceSourceKind.CERTIFICATE,
    ArtefactKind.INTERNSHIP: EvidenceSourceKind.INTERNSHIP,
}


@dataclass
class ArtefactInput:
    """What the student typed, already shaped by the form; rules are checked here, not in the form."""

    title: str
    done_on: date
    body: str = ""
    course: CoursePage | None = None
    enterprise: str = ""
    mentor: AbstractBaseUser | None = None
    issuer: str = ""
    certificate_number: str = ""
    platform: str = ""
    hours: Decimal | None = None
    linked_work_key: str = ""
    outcomes: list[CourseOutcome] = field(default_factory=list)
    competencies: list[Competency] = field(default_factory=list)


def artefact_source_key(artefact: Artefact) -> str:
    return f"portfolios.artefact:{artefact.pk}"


def portfolio_for(*, student: AbstractBaseUser) -> PortfolioPage:
    """The student's portfolio page, created (and published) the first time it is needed."""
    existing = PortfolioPage.objects.filter(student=student).first()
    if existing is not None:
        return existing
    index = PortfolioIndexPage.objects.first()
    if index is None:
        raise ValidationError(_("Portfolios are not set up yet: an administrator needs to add a portfolio index page."))
    with transaction.atomic():
        page = PortfolioPage(
            title=person_name(student),
            slug=f"student-{student.pk}",
            student=student,
            owner=student,
        )
        index.add_child(instance=page)
        page.save_revision(user=student, log_action=False).publish(
            user=student, log_action=False, skip_permission_checks=True
        )
    return page


def _check_input(*, kind: str, data: ArtefactInput, student: AbstractBaseUser) -> tuple[str, str]:
    """Validate one version's fields; returns the linked work's title and URL (blank when not linked)."""
    errors: dict[str, list[str]] = {}
    for name in ("title", "enterprise", "issuer", "certificate_number", "platform"):
        limit = ArtefactVersion._meta.get_field(name).max_length
        if len(getattr(data, name).strip()) > limit:
            errors.setdefault(name, []).append(_("At most %(limit)s characters, please.") % {"limit": limit})
    if not data.title.strip():
        errors.setdefault("title", []).append(_("Give the artefact a title."))
    if data.done_on > timezone.localdate():
        errors.setdefault("done_on", []).append(_("The date the work was done cannot be in the future."))
    for name in REQUIRED_FIELDS[kind]:
        if not getattr(data, name):
            errors.setdefault(name, []).append(_("This kind of artefact needs this field."))
    if data.mentor is not None and not has_role(data.mentor, MENTORS):
        errors.setdefault("mentor", []).append(_("Choose a person registered as an enterprise mentor."))
    if data.hours is not None and data.hours < 0:
        errors.setdefault("hours", []).append(_("Hours cannot be negative."))
    linked_title, linked_url = "", ""
    if data.linked_work_key:
        work = next((w for w in student_works(student=student) if w.key == data.linked_work_key), None)
        if work is None:
            errors.setdefault("linked_work_key", []).append(_("Choose one of your own competition entries."))
        else:
            linked_title, linked_url = work.title, work.url
    framework = framework_for_student(student=student)
    if (data.outcomes or data.competencies) and framework is None:
        errors.setdefault("competencies", []).append(
            _("You are not enrolled in a programme yet, so there is no framework to claim against.")
        )
    elif framework is not None:
        foreign = [c for c in data.competencies if c.framework_id != framework.pk]
        if foreign:
            errors.setdefault("competencies", []).append(
                _("%(names)s are not in your programme's framework.") % {"names": ", ".join(map(str, foreign))}
            )
        unaligned = [o for o in data.outcomes if not _aligned_to(o, framework)]
        if unaligned:
            errors.setdefault("outcomes", []).append(
                _("%(names)s are not aligned to your programme's competencies.")
                % {"names": ", ".join(map(str, unaligned))}
            )
    if errors:
        raise ValidationError(errors)
    return linked_title, linked_url


def _aligned_to(outcome: CourseOutcome, framework: CompetencyFramework) -> bool:
    return outcome.alignments.filter(competency__framework=framework).exists()


@transaction.atomic
def save_artefact(
    *,
    student: AbstractBaseUser,
    kind: str,
    data: ArtefactInput,
    file: UploadedFile | None = None,
    artefact: Artefact | None = None,
    visibility: str | None = None,
) -> Artefact:
    """Create an artefact, or add a version to one. Editing a reviewed artefact is a response to its review:
    the new version goes straight back to the reviewers. ``visibility`` (when given) is set in the same
    transaction, before a response is sent for review."""
    portfolio = portfolio_for(student=student)
    if artefact is not None:
        artefact = Artefact.objects.select_for_update().get(pk=artefact.pk)
        if artefact.portfolio_id != portfolio.pk:
            raise ValidationError(_("You can change only your own artefacts."))
        if artefact.withdrawn_at is not None:
            raise ValidationError(_("This artefact was withdrawn; add a new one instead."))
        if artefact.status == ArtefactStatus.IN_REVIEW:
            raise ValidationError(_("This artefact is with a reviewer. Cancel the review request to change it."))
        kind = artefact.kind
    linked_title, linked_url = _check_input(kind=kind, data=data, student=student)
    if visibility is not None and visibility not in Visibility.values:
        raise ValidationError({"visibility": _("Choose who may see this artefact.")})
    checked = validate_upload(file, allowed=ARTEFACT_FILE_KINDS) if file else None
    if artefact is None:
        last = Artefact.objects.filter(portfolio=portfolio).aggregate(last=Max("sort_order"))["last"]
        artefact = Artefact.objects.create(portfolio=portfolio, kind=kind, sort_order=(last or 0) + 1)
    previous = artefact.current_version
    version = ArtefactVersion(
        artefact=artefact,
        number=(previous.number + 1) if previous else 1,
        title=data.title.strip(),
        body=sanitise_html(data.body),
        done_on=data.done_on,
        course=data.course,
        enterprise=data.enterprise.strip(),
        mentor=data.mentor,
        issuer=data.issuer.strip(),
        certificate_number=data.certificate_number.strip(),
        platform=data.platform.strip(),
        hours=data.hours,
        linked_work_key=data.linked_work_key,
        linked_work_title=linked_title,
        linked_work_url=linked_url,
        created_by=student,
    )
    if checked is not None:
        file.name = checked.storage_name
        version.file = file
        version.original_filename = checked.original_name
        version.file_kind = checked.kind
    elif previous is not None and previous.file:
        version.file = previous.file.name
        version.original_filename = previous.original_filename
        version.file_kind = previous.file_kind
    try:
        version.save()
        version.claimed_outcomes.set(data.outcomes)
        version.claimed_competencies.set(data.competencies)
        artefact.current_version = version
        if visibility is not None:
            artefact.visibility = visibility
        responding = artefact.status == ArtefactStatus.SIGNED_OFF
        artefact.save(update_fields=["current_version", "visibility"])
        if responding:
            _send_for_review(artefact=artefact, version=version)
    except Exception:
        if checked is not None and version.file:
            version.file.storage.delete(version.file.name)  # the rows roll back; the new file must go too
        raise
    return artefact


def eligible_reviewers(*, artefact: Artefact) -> list[AbstractBaseUser]:
    """Who may verify the current version: the course's teachers, the named mentor, a linked entry's advisor
    and mentor; when none of those applies, the teachers of the student's cohorts."""
    version = artefact.current_version
    student = artefact.portfolio.student
    user_ids: set[int] = set()
    if version.course_id:
        user_ids |= set(CourseTeacher.objects.filter(course_id=version.course_id).values_list("user_id", flat=True))
    if version.mentor_id:
        user_ids.add(version.mentor_id)
    if version.linked_work_key:
        for work in student_works(student=student):
            if work.key == version.linked_work_key:
                user_ids |= set(work.reviewer_ids)
    user_ids.discard(student.pk)
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True)
    if not user_ids:
        users = get_user_model().objects.filter(taught_cohorts__enrolments__student=student, is_active=True)
    return list(users.exclude(pk=student.pk).distinct().order_by("last_name", "first_name", "pk"))


def _send_for_review(*, artefact: Artefact, version: ArtefactVersion) -> None:
    if not (version.claimed_outcomes.exists() or version.claimed_competencies.exists()):
        raise ValidationError(_("Claim at least one course outcome or competency before asking for a review."))
    if artefact.visibility == Visibility.PRIVATE:
        raise ValidationError(
            _("Private artefacts are seen by nobody else. Let your teachers and mentors see it to ask for a review.")
        )
    reviewers = eligible_reviewers(artefact=artefact)
    if not reviewers:
        raise ValidationError(
            _("Nobody can review this yet: choose a course with teachers or a mentor, or ask to join a class.")
        )
    for reviewer in reviewers:
        permissions.grant_review(artefact=artefact, reviewer=reviewer)
    for former in permissions.reviewers_of(artefact).exclude(pk__in=[reviewer.pk for reviewer in reviewers]):
        permissions.revoke_review(artefact=artefact, reviewer=former)  # e.g. the student changed the course
    version.submitted_for_review_at = timezone.now()
    version.save(update_fields=["submitted_for_review_at"])
    artefact.status = ArtefactStatus.IN_REVIEW
    artefact.save(update_fields=["status"])


@transaction.atomic
def request_review(*, artefact: Artefact, student: AbstractBaseUser) -> Artefact:
    artefact = (
        Artefact.objects.select_for_update(of=("self",))
        .select_related("current_version", "portfolio")
        .get(pk=artefact.pk)
    )
    if artefact.portfolio.student_id != student.pk:
        raise ValidationError(_("You can change only your own artefacts."))
    if artefact.withdrawn_at is not None:
        raise ValidationError(_("This artefact was withdrawn."))
    if artefact.status != ArtefactStatus.DRAFT:
        raise ValidationError(_("Only a draft can be sent for review."))
    _send_for_review(artefact=artefact, version=artefact.current_version)
    return artefact


@transaction.atomic
def cancel_review(*, artefact: Artefact, student: AbstractBaseUser) -> Artefact:
    """Take an artefact back from its reviewers before they sign it off, so it can be changed."""
    artefact = (
        Artefact.objects.select_for_update(of=("self",))
        .select_related("current_version", "portfolio")
        .get(pk=artefact.pk)
    )
    if artefact.portfolio.student_id != student.pk:
        raise ValidationError(_("You can change only your own artefacts."))
    if artefact.status != ArtefactStatus.IN_REVIEW:
        raise ValidationError(_("This artefact is not waiting for a review."))
    # Back to draft even when an earlier version was signed off: the current version is one nobody reviewed,
    # so the artefact must not look signed off. The earlier review and its evidence stay.
    artefact.status = ArtefactStatus.DRAFT
    artefact.save(update_fields=["status"])
    return artefact


def _check_level(*, verdict: str, level: ProficiencyLevel, framework: CompetencyFramework) -> None:
    if level.scale_id != framework.scale_id:
        raise ValidationError({"level": _("Choose a level of the scale “%(scale)s”.") % {"scale": framework.scale}})
    if verdict == ReviewVerdict.MEETS and not level.points >= _mastery_points(framework):
        raise ValidationError({"level": _("“Meets” needs a level at or above mastery.")})
    if verdict != ReviewVerdict.MEETS and level.points >= _mastery_points(framework):
        raise ValidationError({"level": _("A level at or above mastery means the work meets the outcome.")})


def _mastery_points(framework: CompetencyFramework) -> Decimal:
    mastery = next((level for level in framework.scale.levels_by_points if level.is_mastery), None)
    return mastery.points if mastery else Decimal("0")


@transaction.atomic
def sign_off(
    *, artefact: Artefact, reviewer: AbstractBaseUser, verdict: str, level: ProficiencyLevel, comment: str
) -> ArtefactReview:
    """Record the reviewer's verdict on the current version, lock the artefact and write its evidence."""
    artefact = (
        Artefact.objects.select_for_update(of=("self",))
        .select_related("current_version", "portfolio__student")
        .get(pk=artefact.pk)
    )
    if not permissions.artefacts_user_may_review(reviewer).filter(pk=artefact.pk).exists():
        raise ValidationError(_("You are not a reviewer of this artefact."))
    if reviewer.pk == artefact.portfolio.student_id:
        raise ValidationError(_("Nobody can verify their own work."))
    if artefact.status != ArtefactStatus.IN_REVIEW or artefact.withdrawn_at is not None:
        raise ValidationError(_("This artefact is not waiting for a review."))
    if verdict not in ReviewVerdict.values:
        raise ValidationError({"verdict": _("Choose a verdict.")})
    student = artefact.portfolio.student
    framework = framework_for_student(student=student)
    if framework is None:
        raise ValidationError(_("The student is not enrolled in a programme, so there is no scale to verify on."))
    _check_level(verdict=verdict, level=level, framework=framework)
    version = artefact.current_version
    review = ArtefactReview.objects.create(
        artefact=artefact, version=version, reviewer=reviewer, verdict=verdict, level=level, comment=comment.strip()
    )
    artefact.status = ArtefactStatus.SIGNED_OFF
    artefact.save(update_fields=["status"])
    drafts = [
        EvidenceDraft(student=student, outcome=outcome, score=level.points, done_on=version.done_on)
        for outcome in version.claimed_outcomes.all()
    ] + [
        EvidenceDraft(student=student, competency=competency, score=level.points, done_on=version.done_on)
        for competency in version.claimed_competencies.all()
    ]
    replace_source_evidence(
        source_key=artefact_source_key(artefact),
        drafts=drafts,
        source_kind=EVIDENCE_SOURCE.get(artefact.kind, EvidenceSourceKind.PORTFOLIO_ARTEFACT),
        source_title=Truncator(version.title).chars(200),
        source_url=artefact.portfolio.url or "",
        recorded_by=reviewer,
        note=_("%(verdict)s, reviewed by %(reviewer)s")
        % {"verdict": review.get_verdict_display(), "reviewer": reviewer.get_full_name() or reviewer.get_username()},
    )
    return review


@transaction.atomic
def withdraw_artefact(*, artefact: Artefact, student: AbstractBaseUser) -> Artefact:
    """Take an artefact off the portfolio. Evidence a reviewer already verified stays on the student's record.

    One waiting for review is taken back from its reviewers too (as ``cancel_review`` does): back to draft."""
    artefact = Artefact.objects.select_for_update(of=("self",)).select_related("portfolio").get(pk=artefact.pk)
    if artefact.portfolio.student_id != student.pk:
        raise ValidationError(_("You can change only your own artefacts."))
    if artefact.withdrawn_at is None:
        artefact.withdrawn_at = timezone.now()
        if artefact.status == ArtefactStatus.IN_REVIEW:
            artefact.status = ArtefactStatus.DRAFT
        artefact.save(update_fields=["withdrawn_at", "status"])
    return artefact


@transaction.atomic
def set_visibility(*, artefact: Artefact, student: AbstractBaseUser, visibility: str) -> Artefact:
    artefact = Artefact.objects.select_for_update(of=("self",)).select_related("portfolio").get(pk=artefact.pk)
    if artefact.portfolio.student_id != student.pk:
        raise ValidationError(_("You can change only your own artefacts."))
    if visibility not in Visibility.values:
        raise ValidationError(_("Choose who may see this artefact."))
    if visibility == Visibility.PRIVATE and artefact.status == ArtefactStatus.IN_REVIEW:
        raise ValidationError(_("Cancel the review request before making this artefact private."))
    artefact.visibility = visibility
    artefact.save(update_fields=["visibility"])
    return artefact


@transaction.atomic
def move_artefact(*, artefact: Artefact, student: AbstractBaseUser, offset: int) -> None:
    """Move an artefact ``offset`` places up (negative) or down among the portfolio's current artefacts."""
    if artefact.portfolio.student_id != student.pk:
        raise ValidationError(_("You can change only your own artefacts."))
    ordered = list(
        Artefact.objects.select_for_update()
        .filter(portfolio_id=artefact.portfolio_id, withdrawn_at__isnull=True)
        .order_by("sort_order", "id")
    )
    position = next((i for i, item in enumerate(ordered) if item.pk == artefact.pk), None)
    if position is None:
        raise ValidationError(_("This artefact was withdrawn, so it has no place on your portfolio."))
    target = max(0, min(len(ordered) - 1, position + offset))
    ordered.insert(target, ordered.pop(position))
    for number, item in enumerate(ordered, start=1):
        if item.sort_order != number:
            item.sort_order = number
            item.save(update_fields=["sort_order"])


def update_introduction(
    *, portfolio: PortfolioPage, student: AbstractBaseUser, introduction: str, overview_visibility: str
) -> PortfolioPage:
    """Change the introduction and who sees the competency overview; the page keeps a revision of each change."""
    if portfolio.student_id != student.pk:
        raise ValidationError(_("You can change only your own portfolio."))
    if overview_visibility not in Visibility.values:
        raise ValidationError(_("Choose who may see your competency overview."))
    portfolio.introduction = sanitise_html(introduction)
    portfolio.overview_visibility = overview_visibility
    portfolio.save_revision(user=student, log_action=True).publish(
        user=student, log_action=False, skip_permission_checks=True
    )
    return portfolio


@transaction.atomic
def share_with_employer(
    *, portfolio: PortfolioPage, student: AbstractBaseUser, employer: AbstractBaseUser
) -> PortfolioShare:
    if portfolio.student_id != student.pk:
        raise ValidationError(_("You can change only your own portfolio."))
    if not has_role(employer, EMPLOYERS):
        raise ValidationError(_("%(name)s is not registered as an employer.") % {"name": employer.get_username()})
    share = PortfolioShare.objects.filter(portfolio=portfolio, employer=employer, revoked_at__isnull=True).first()
    if share is None:
        share = PortfolioShare.objects.create(portfolio=portfolio, employer=employer)
    permissions.grant_employer_share(portfolio=portfolio, employer=employer)
    return share


@transaction.atomic
def revoke_share(*, share: PortfolioShare, student: AbstractBaseUser) -> PortfolioShare:
    if share.portfolio.student_id != student.pk:
        raise ValidationError(_("You can change only your own portfolio."))
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
        permissions.revoke_employer_share(portfolio=share.portfolio, employer=share.employer)
    return share
