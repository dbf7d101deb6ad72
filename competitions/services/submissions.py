"""Submitting a team's work on a task. Every submission is a new version; earlier versions are never changed."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from competitions.models import Submission, Task, Team
from competitions.selectors.teams import current_memberships, submission_window
from courses.uploads import validate_upload
from themes.sanitiser import sanitise_html

SUBMISSION_KINDS = {"pdf", "docx", "xlsx", "pptx", "png", "jpeg", "zip", "txt"}
MAX_LINK_LENGTH = 200  # Submission.link is a URLField with Django's default length


def _clean_body(body_html: str) -> str:
    """The body through the project's sanitiser; markup with no visible text counts as no body."""
    body = str(sanitise_html(body_html or "")).strip()
    if not strip_tags(body).replace("&nbsp;", " ").strip():
        return ""
    return body


def _clean_link(link: str) -> str:
    link = (link or "").strip()
    if not link:
        return ""
    if len(link) > MAX_LINK_LENGTH:
        raise ValidationError(_("The link is too long (at most %(n)s characters).") % {"n": MAX_LINK_LENGTH})
    try:
        URLValidator(schemes=["http", "https"])(link)
    except ValidationError as error:
        raise ValidationError(_("Enter a full web address starting with http:// or https://.")) from error
    return link


def submit(
    *,
    team: Team,
    task: Task,
    submitted_by: AbstractBaseUser,
    body_html: str = "",
    file: File | None = None,
    link: str = "",
) -> Submission:
    """Record the team's next version of its work on ``task``.

    Versions are numbered under a lock on the team row, so two members submitting at once get versions n and n+1
    rather than a clash. The file is checked by :func:`courses.uploads.validate_upload` and stored under a random
    name; its original name is kept for downloads only.
    """
    body = _clean_body(body_html)
    link = _clean_link(link)
    if not body and file is None and not link:
        raise ValidationError(_("Add some text, a file or a link to submit."))
    checked = validate_upload(file, allowed=SUBMISSION_KINDS) if file is not None else None
    with transaction.atomic():
        team = Team.objects.select_for_update(of=("self",)).select_related("competition").get(pk=team.pk)
        task = Task.objects.select_related("round").get(pk=task.pk)
        competition = team.competition
        if team.withdrawn_at is not None:
            raise ValidationError(_("This team has withdrawn from the competition and cannot submit."))
        if not current_memberships().filter(team=team, student=submitted_by).exists():
            raise ValidationError(_("Only current members of the team can submit its work."))
        round_page = task.round
        if round_page.get_parent().pk != competition.pk or not round_page.live:
            raise ValidationError(_("This task is not part of your team's competition."))
        members = current_memberships().filter(team=team).count()
        if members < competition.min_team_size:
            raise ValidationError(
                _(
                    "Your team has %(members)s member(s); this competition needs at least %(minimum)s to submit. "
                    "Invite more members while registration is open."
                )
                % {"members": members, "minimum": competition.min_team_size}
            )
        window = submission_window(round_page=round_page)
        if not window.is_open:
            raise ValidationError(window.reason)
        last = Submission.objects.filter(team=team, task=task).aggregate(last=Max("version"))["last"] or 0
        submission = Submission(
            team=team,
            task=task,
            version=last + 1,
            body=body,
            link=link,
            submitted_by=submitted_by,
            is_late=window.is_late,
            late_penalty_percent=window.late_penalty_percent,
        )
        if checked is not None:
            file.seek(0)
            submission.original_filename = checked.original_name
            submission.file.save(checked.storage_name, file, save=False)
        submission.save()
        return submission
