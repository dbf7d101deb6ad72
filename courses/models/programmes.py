"""Programmes, their tracks (curriculum modules and special classes) and cohorts of students."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable


class Programme(ClusterableModel):
    name = models.CharField(_("name"), max_length=160, unique=True)
    code = models.CharField(_("code"), max_length=32, unique=True)
    description = models.TextField(_("description"), blank=True)
    framework = models.ForeignKey(
        "courses.CompetencyFramework",
        verbose_name=_("competency framework"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("description"),
        FieldPanel("framework"),
        InlinePanel("tracks", label=_("Tracks")),
    ]

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TrackKind(models.TextChoices):
    PLATFORM = "platform", _("Shared platform courses")
    DIRECTIONAL = "directional", _("Directional module")
    EXPANSION = "expansion", _("Expansion module")
    MICRO_PROFESSION = "micro_profession", _("Micro-profession track")
    EXCELLENCE_CLASS = "excellence_class", _("Excellence class")


class Track(Orderable):
    programme = ParentalKey(Programme, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=32, choices=TrackKind.choices, default=TrackKind.PLATFORM)
    description = models.CharField(_("description"), max_length=255, blank=True)

    panels = [FieldPanel("name"), FieldPanel("kind"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="unique_track_name_per_programme")]

    def __str__(self) -> str:
        return f"{self.programme.name} · {self.name}"


class Cohort(models.Model):
    """A class of students who enter a programme together (行政班)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="cohorts"
    )
    name = models.CharField(_("name"), max_length=120)
    entry_year = models.PositiveSmallIntegerField(_("entry year"))
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("class teachers"),
        blank=True,
        related_name="taught_cohorts",
        help_text=_("Teachers responsible for this class; they see its results and analytics."),
    )

    panels = [FieldPanel("programme"), FieldPanel("name"), FieldPanel("entry_year"), FieldPanel("teachers")]

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-entry_year", "name"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="unique_cohort_name_per_programme")]

    def __str__(self) -> str:
        return self.name


class Enrolment(models.Model):
    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="enrolments")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("student"), on_delete=models.PROTECT, related_name="enrolments"
    )
    student_number = models.CharField(_("student number"), max_length=32)
    enrolled_on = models.DateField(_("enrolled on"))

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["cohort", "student_number"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "student"], name="one_enrolment_per_student_and_cohort"),
            models.UniqueConstraint(fields=["cohort", "student_number"], name="unique_student_number_per_cohort"),
        ]

    def __str__(self) -> str:
        return f"{self.student_number} {self.student.get_full_name()}"
