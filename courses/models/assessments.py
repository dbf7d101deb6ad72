"""Course assessments aligned to outcomes, and the results students obtain in them."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel


class CourseAssessment(ClusterableModel):
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.PROTECT, related_name="assessments"
    )
    title = models.CharField(_("title"), max_length=160)
    held_on = models.DateField(_("held on"), help_text=_("When the work was done; evidence is dated by it."))
    max_score = models.DecimalField(
        _("maximum score"), max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    outcomes = ParentalManyToManyField(
        "courses.CourseOutcome",
        verbose_name=_("assessed outcomes"),
        related_name="assessments",
        help_text=_("Each result becomes evidence for every outcome chosen here."),
    )

    panels = [
        FieldPanel("course"),
        FieldPanel("title"),
        FieldPanel("held_on"),
        FieldPanel("max_score"),
        FieldPanel("outcomes"),
    ]

    class Meta:
        verbose_name = _("course assessment")
        verbose_name_plural = _("course assessments")
        ordering = ["-held_on", "title"]
        constraints = [
            models.UniqueConstraint(fields=["course", "title"], name="unique_assessment_title_per_course"),
            models.CheckConstraint(condition=models.Q(max_score__gt=0), name="assessment_max_score_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.course.code} · {self.title}"


class AssessmentResult(models.Model):
    """A student's score in an assessment. A correction is a new row that supersedes the previous one."""

    assessment = models.ForeignKey(
        CourseAssessment, verbose_name=_("assessment"), on_delete=models.PROTECT, related_name="results"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("student"), on_delete=models.PROTECT, related_name="assessment_results"
    )
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
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

    class Meta:
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        ordering = ["assessment", "student", "-recorded_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(score__gte=0), name="assessment_score_not_negative"),
            # Corrections chain through ``supersedes`` (one-to-one), so only one first result may exist.
            models.UniqueConstraint(
                fields=["assessment", "student"],
                condition=models.Q(supersedes__isnull=True),
                name="one_first_result_per_student_and_assessment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.student} · {self.score}"
