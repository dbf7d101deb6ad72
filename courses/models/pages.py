"""Course pages: what teachers publish, with outcomes aligned to competencies."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from courses.blocks import SyllabusBlock
from courses.hooks import course_page_sections
from courses.page_forms import CoursePageForm


class CourseIndexPage(Page):
    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    programme = models.ForeignKey(
        "courses.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="course_indexes",
    )

    content_panels = Page.content_panels + [FieldPanel("programme"), FieldPanel("introduction")]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("course index page")

    def get_context(self, request, *args, **kwargs):
        from courses import selectors

        context = super().get_context(request, *args, **kwargs)
        context["tracks"] = selectors.course_catalogue(index_page=self)
        return context


class CoursePage(Page):
    code = models.CharField(_("course code"), max_length=32)
    credits = models.DecimalField(
        _("credits"), max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0"))]
    )
    term = models.CharField(_("term"), max_length=60, help_text=_("For example “2026–2027 autumn”."))
    track = models.ForeignKey(
        "courses.Track",
        verbose_name=_("track"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="courses",
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    syllabus = StreamField(SyllabusBlock(), verbose_name=_("syllabus"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("code"), FieldPanel("credits"), FieldPanel("term")]), FieldPanel("track")],
            heading=_("Course"),
        ),
        FieldPanel("summary"),
        InlinePanel("teachers", label=_("Teachers and enterprise mentors")),
        InlinePanel("outcomes", label=_("Learning outcomes"), min_num=1),
        FieldPanel("syllabus"),
    ]
    search_fields = Page.search_fields + [index.SearchField("code"), index.SearchField("summary")]
    base_form_class = CoursePageForm
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("course page")

    def get_context(self, request, *args, **kwargs):
        from courses import selectors

        context = super().get_context(request, *args, **kwargs)
        context["outcomes"] = selectors.outcomes_with_competencies(course=self)
        context["competencies_built"] = selectors.competencies_built_by(course=self)
        context["course_teachers"] = selectors.course_teachers(course=self)
        context["extra_sections"] = course_page_sections(course=self, request=request)
        return context


class TeacherRole(models.TextChoices):
    TEACHER = "teacher", _("School teacher")
    MENTOR = "mentor", _("Enterprise mentor")


class CourseTeacher(Orderable):
    """Dual teachers: a school teacher and an enterprise mentor can share a course."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="teachers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="course_roles"
    )
    role = models.CharField(_("role"), max_length=16, choices=TeacherRole.choices, default=TeacherRole.TEACHER)
    organisation = models.CharField(
        _("organisation"), max_length=160, blank=True, help_text=_("The enterprise, for mentors.")
    )

    panels = [FieldPanel("user"), FieldPanel("role"), FieldPanel("organisation")]

    class Meta(Orderable.Meta):
        verbose_name = _("course teacher")
        verbose_name_plural = _("course teachers")
        constraints = [models.UniqueConstraint(fields=["course", "user", "role"], name="unique_course_teacher_role")]


class CourseOutcome(Orderable, ClusterableModel):
    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="outcomes")
    code = models.CharField(_("code"), max_length=16, help_text=_("Short code such as LO1."))
    description = models.TextField(_("description"))

    panels = [
        FieldPanel("code"),
        FieldPanel("description"),
        InlinePanel("alignments", label=_("Aligned competencies"), min_num=1),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("course outcome")
        verbose_name_plural = _("course outcomes")
        constraints = [models.UniqueConstraint(fields=["course", "code"], name="unique_outcome_code_per_course")]

    def __str__(self) -> str:
        return f"{self.course.code} {self.code}"


class OutcomeAlignment(Orderable):
    """How much evidence of an outcome counts towards a competency (weight 0–1)."""

    outcome = ParentalKey(CourseOutcome, on_delete=models.CASCADE, related_name="alignments")
    competency = models.ForeignKey(
        "courses.Competency",
        verbose_name=_("competency"),
        on_delete=models.PROTECT,
        related_name="outcome_alignments",
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        help_text=_("Above 0 and at most 1: how strongly this outcome shows the competency."),
    )

    panels = [FieldPanel("competency"), FieldPanel("weight")]

    class Meta(Orderable.Meta):
        verbose_name = _("outcome alignment")
        verbose_name_plural = _("outcome alignments")
        constraints = [
            models.UniqueConstraint(fields=["outcome", "competency"], name="one_alignment_per_outcome_and_competency"),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0) & models.Q(weight__lte=1), name="alignment_weight_in_0_1"
            ),
        ]

    def clean(self) -> None:
        if self.weight is not None and not Decimal("0") < self.weight <= Decimal("1"):
            raise ValidationError({"weight": _("The weight must be above 0 and at most 1.")})
