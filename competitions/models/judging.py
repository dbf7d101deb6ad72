"""Judging: assignments, scores with full history, round finalisations, results and awards."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class JudgeAssignment(models.Model):
    """A judge is to score one team's entry for one task. Recusal ends the assignment; it is never deleted."""

    task = models.ForeignKey(
        "competitions.Task", verbose_name=_("task"), on_delete=models.PROTECT, related_name="assignments"
    )
    team = models.ForeignKey(
        "competitions.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="assignments"
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("judge"), on_delete=models.PROTECT, related_name="judge_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    recused_at = models.DateTimeField(_("recused at"), null=True, blank=True)
    recusal_reason = models.TextField(_("reason for recusal"), blank=True)

    class Meta:
        verbose_name = _("judge assignment")
        verbose_name_plural = _("judge assignments")
        ordering = ["task", "team", "assigned_at"]
        permissions = [("score_entry", _("Can score this entry"))]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "team", "judge"],
                condition=Q(recused_at__isnull=True),
                name="one_active_assignment_per_judge_and_entry",
            )
        ]

    def __str__(self) -> str:
        return f"{self.judge} → {self.team} · {self.task}"


class Score(models.Model):
    """A judge's points for one criterion. A change is a new row superseding the previous one (who and when)."""

    assignment = models.ForeignKey(
        JudgeAssignment, verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="scores"
    )
    criterion = models.ForeignKey(
        "competitions.Criterion", verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("scored by"), on_delete=models.PROTECT, related_name="+"
    )
    scored_at = models.DateTimeField(_("scored at"), auto_now_add=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["assignment", "criterion", "-scored_at"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gte=0), name="score_points_not_negative"),
            models.UniqueConstraint(
                fields=["assignment", "criterion"],
                condition=Q(supersedes__isnull=True),
                name="one_first_score_per_assignment_and_criterion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion} · {self.points}"


class RoundFinalisation(models.Model):
    """Organisers finalise a round: scores lock and results are computed. Reopening keeps the old results."""

    round = models.ForeignKey(
        "competitions.RoundPage", verbose_name=_("round"), on_delete=models.PROTECT, related_name="finalisations"
    )
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("finalised by"), on_delete=models.PROTECT, related_name="+"
    )
    finalised_at = models.DateTimeField(_("finalised at"), auto_now_add=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopened by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    class Meta:
        verbose_name = _("round finalisation")
        verbose_name_plural = _("round finalisations")
        ordering = ["round", "-finalised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"], condition=Q(reopened_at__isnull=True), name="one_open_finalisation_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.finalised_at:%Y-%m-%d %H:%M}"


class Award(models.TextChoices):
    FIRST = "first", _("First prize")
    SECOND = "second", _("Second prize")
    THIRD = "third", _("Third prize")
    HONOURABLE = "honourable", _("Honourable mention")
    CUSTOM = "custom", _("Other award")


class RoundResult(models.Model):
    finalisation = models.ForeignKey(
        RoundFinalisation, verbose_name=_("finalisation"), on_delete=models.PROTECT, related_name="results"
    )
    team = models.ForeignKey(
        "competitions.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="results"
    )
    total = models.DecimalField(_("total"), max_digits=8, decimal_places=2)
    rank = models.PositiveIntegerField(_("rank"))
    advanced = models.BooleanField(_("advanced"), default=False)
    award = models.CharField(_("award"), max_length=16, choices=Award.choices, blank=True)
    award_title = models.CharField(_("award title"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("round result")
        verbose_name_plural = _("round results")
        ordering = ["finalisation", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["finalisation", "team"], name="one_result_per_team_and_finalisation")
        ]

    def __str__(self) -> str:
        return f"{self.team} · #{self.rank} · {self.total}"
