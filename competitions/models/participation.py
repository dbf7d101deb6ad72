"""Teams and their submissions. Nothing here is overwritten: memberships end, submissions get new versions."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.uploads import private_storage


def new_invite_code() -> str:
    """A team's join code: 128 bits of randomness, URL-safe."""
    return secrets.token_urlsafe(16)


class Team(models.Model):
    competition = models.ForeignKey(
        "competitions.CompetitionPage", verbose_name=_("competition"), on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(_("name"), max_length=120)
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("advisor teacher"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advised_teams",
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enterprise mentor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentored_teams",
    )
    invite_code = models.CharField(_("invitation code"), max_length=32, unique=True, default=new_invite_code)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["competition", "name"]
        constraints = [models.UniqueConstraint(fields=["competition", "name"], name="unique_team_name_per_competition")]
        permissions = [
            ("submit_for_team", _("Can submit work for this team")),
            ("view_team_work", _("Can see this team's submissions and results")),
        ]

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    """A student's time in a team; leaving sets ``left_at`` instead of deleting the row."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="memberships")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("student"), on_delete=models.PROTECT, related_name="team_memberships"
    )
    is_captain = models.BooleanField(_("captain"), default=False)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["team", "joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "student"], condition=Q(left_at__isnull=True), name="one_current_membership_per_team"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.team}"


class Submission(models.Model):
    """One version of a team's work on a task. A resubmission is a new row with the next version number."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="submissions")
    task = models.ForeignKey(
        "competitions.Task", verbose_name=_("task"), on_delete=models.PROTECT, related_name="submissions"
    )
    version = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("text"), blank=True, help_text=_("Stored already sanitised."))
    file = models.FileField(_("file"), upload_to="submissions/%Y/%m/", storage=private_storage, blank=True)
    original_filename = models.CharField(_("original file name"), max_length=255, blank=True)
    link = models.URLField(_("link"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    is_late = models.BooleanField(_("late"), default=False)
    late_penalty_percent = models.DecimalField(_("late penalty (%)"), max_digits=5, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["team", "task", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["team", "task", "version"], name="one_row_per_submission_version"),
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.task} · v{self.version}"
