"""The evidence ledger: append-only rows saying a student demonstrated an outcome or competency.

Rows are only ever inserted. A correction is a new row whose ``supersedes`` points at the row it replaces;
a retraction is a new row marked ``is_retraction``. The active ledger is every row that no other row
supersedes and that is not itself a retraction. The model and its queryset refuse updates and deletes.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LedgerIsAppendOnly(Exception):
    """Raised when code tries to change or delete an evidence row."""


class EvidenceSourceKind(models.TextChoices):
    COURSE_ASSESSMENT = "course_assessment", _("Course assessment")
    COMPETITION_TASK = "competition_task", _("Competition task")
    COMPETITION_AWARD = "competition_award", _("Competition award")
    PORTFOLIO_ARTEFACT = "portfolio_artefact", _("Verified portfolio artefact")
    CERTIFICATE = "certificate", _("Skill certificate")
    INTERNSHIP = "internship", _("Internship or enterprise project")


class EvidenceQuerySet(models.QuerySet):
    def active(self) -> "EvidenceQuerySet":
        return self.filter(superseded_by__isnull=True, is_retraction=False)

    def update(self, **kwargs):
        raise LedgerIsAppendOnly("Evidence rows cannot be updated; record a superseding row instead.")

    def delete(self):
        raise LedgerIsAppendOnly("Evidence rows cannot be deleted; record a retraction instead.")

    delete.queryset_only = True  # type: ignore[attr-defined]


class EvidenceRecord(models.Model):
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("student"), on_delete=models.PROTECT, related_name="evidence"
    )
    outcome = models.ForeignKey(
        "courses.CourseOutcome",
        verbose_name=_("course outcome"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
    )
    competency = models.ForeignKey(
        "courses.Competency",
        verbose_name=_("competency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
    )
    score = models.DecimalField(
        _("score"), max_digits=6, decimal_places=2, help_text=_("Normalised to the framework's scale points.")
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        help_text=_("How strongly this source shows the outcome (above 0, at most 1), e.g. a rubric alignment."),
    )
    level = models.ForeignKey(
        "courses.ProficiencyLevel",
        verbose_name=_("level"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    done_on = models.DateField(_("done on"), help_text=_("The date the work was done, not the date it was graded."))
    source_kind = models.CharField(_("source"), max_length=32, choices=EvidenceSourceKind.choices)
    source_title = models.CharField(_("source title"), max_length=255)
    source_url = models.CharField(_("source URL"), max_length=500, blank=True)
    source_key = models.CharField(
        _("source key"),
        max_length=120,
        blank=True,
        db_index=True,
        help_text=_("Identifies the record that produced this row, so a correction can find what it supersedes."),
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    is_retraction = models.BooleanField(_("retraction"), default=False)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence record")
        verbose_name_plural = _("evidence records")
        ordering = ["student", "done_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome__isnull=False) & Q(competency__isnull=True))
                | (Q(outcome__isnull=True) & Q(competency__isnull=False)),
                name="evidence_names_outcome_or_competency",
            ),
            models.CheckConstraint(condition=Q(score__gte=0), name="evidence_score_not_negative"),
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=1), name="evidence_weight_in_0_1"),
        ]
        indexes = [
            models.Index(fields=["student", "outcome"], name="evidence_student_outcome"),
            models.Index(fields=["student", "competency"], name="evidence_student_competency"),
        ]

    def __str__(self) -> str:
        target = self.outcome or self.competency
        return f"{self.student} · {target} · {self.score} ({self.done_on})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LedgerIsAppendOnly("Evidence rows cannot be updated; record a superseding row instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerIsAppendOnly("Evidence rows cannot be deleted; record a retraction instead.")
