"""Competition briefs and their rounds, as Wagtail pages edited by teachers (the organisers).

Organisers are the people who may edit a competition page (Wagtail page permissions). Tasks and rubric criteria
are inline on the round page; each criterion is aligned to course outcomes with weights, which is what turns a
judged task into evidence of course outcomes.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from competitions.page_forms import RoundPageForm
from courses.blocks import SyllabusBlock


class CompetitionIndexPage(Page):
    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    subpage_types = ["competitions.CompetitionPage"]

    class Meta:
        verbose_name = _("competition index page")

    def get_context(self, request, *args, **kwargs):
        from competitions.selectors.briefs import live_competitions

        context = super().get_context(request, *args, **kwargs)
        context["competitions"] = live_competitions(index_page=self)
        return context


class CompetitionLevel(models.TextChoices):
    SCHOOL = "school", pgettext_lazy("competition level", "School")
    PROVINCIAL = "provincial", _("Provincial")
    NATIONAL = "national", _("National")
    INTERNATIONAL = "international", _("International")


class CompetitionCategory(models.TextChoices):
    SKILLS = "skills", _("Skills contest")
    INNOVATION = "innovation", _("Innovation and entrepreneurship")


class AggregationMethod(models.TextChoices):
    MEAN = "mean", _("Mean of judges")
    TRIMMED_MEAN = "trimmed_mean", _("Trimmed mean (drop highest and lowest when three or more judges)")
    Z_SCORE = "z_score", _("Per-judge z-score, rescaled to the criterion's points")


class CompetitionPage(Page):
    organiser = models.CharField(_("organiser"), max_length=200)
    level = models.CharField(pgettext_lazy("competition", "level"), max_length=16, choices=CompetitionLevel.choices)
    category = models.CharField(_("category"), max_length=16, choices=CompetitionCategory.choices)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    registration_opens = models.DateTimeField(_("registration opens"))
    registration_closes = models.DateTimeField(_("registration closes"))
    min_team_size = models.PositiveSmallIntegerField(_("smallest team"), default=1, validators=[MinValueValidator(1)])
    max_team_size = models.PositiveSmallIntegerField(_("largest team"), default=5, validators=[MinValueValidator(1)])
    rules = StreamField(SyllabusBlock(), verbose_name=_("rules"), blank=True)
    related_courses = ParentalManyToManyField(
        "courses.CoursePage", verbose_name=_("related courses"), blank=True, related_name="competitions"
    )
    aggregation_method = models.CharField(
        _("score aggregation"), max_length=16, choices=AggregationMethod.choices, default=AggregationMethod.MEAN
    )
    judges_per_entry = models.PositiveSmallIntegerField(
        _("judges per entry"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_("How many judges automatic assignment gives each team's entry for each task."),
    )
    blind_judging = models.BooleanField(_("blind judging"), default=False, help_text=_("Judges do not see team names."))
    exclude_cohort_teachers = models.BooleanField(
        _("exclude teachers of members' classes"),
        default=False,
        help_text=_("A judge who teaches the class of any team member is treated as having a conflict of interest."),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("organiser"),
                FieldRowPanel([FieldPanel("level"), FieldPanel("category")]),
                FieldPanel("summary"),
            ],
            heading=_("Brief"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("registration_opens"), FieldPanel("registration_closes")]),
                FieldRowPanel([FieldPanel("min_team_size"), FieldPanel("max_team_size")]),
            ],
            heading=_("Registration and teams"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("aggregation_method"),
                FieldRowPanel([FieldPanel("judges_per_entry"), FieldPanel("blind_judging")]),
                FieldPanel("exclude_cohort_teachers"),
            ],
            heading=_("Judging"),
        ),
        FieldPanel("related_courses"),
        FieldPanel("rules"),
    ]
    search_fields = Page.search_fields + [index.SearchField("organiser"), index.SearchField("summary")]
    parent_page_types = ["competitions.CompetitionIndexPage"]
    subpage_types = ["competitions.RoundPage"]

    class Meta:
        verbose_name = _("competition page")

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.registration_opens and self.registration_closes and self.registration_closes <= self.registration_opens:
            errors["registration_closes"] = _("Registration must close after it opens.")
        if self.min_team_size and self.max_team_size and self.max_team_size < self.min_team_size:
            errors["max_team_size"] = _("The largest team cannot be smaller than the smallest.")
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        from competitions.selectors.briefs import brief_context

        context = super().get_context(request, *args, **kwargs)
        context.update(brief_context(competition=self, user=request.user))
        return context


class RoundKind(models.TextChoices):
    PRELIMINARY = "preliminary", _("Preliminary")
    SEMI_FINAL = "semi_final", _("Semi-final")
    FINAL = "final", _("Final")


class LatePolicy(models.TextChoices):
    REFUSE = "refuse", _("Refuse late submissions")
    FLAG = "flag", _("Accept until the late deadline and flag them")
    PENALISE = "penalise", _("Accept until the late deadline with a penalty")


class AdvancementRule(models.TextChoices):
    NONE = "none", _("No advancement")
    TOP_N = "top_n", _("Top N teams advance")
    THRESHOLD = "threshold", _("Teams at or above a score advance")


class ResultsVisibility(models.TextChoices):
    HIDDEN = "hidden", _("Hidden")
    OWN = "own", _("Each team sees its own result")
    PUBLIC = "public", _("Public")


class RoundPage(Page):
    kind = models.CharField(_("kind"), max_length=16, choices=RoundKind.choices, default=RoundKind.PRELIMINARY)
    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    opens_at = models.DateTimeField(_("opens"))
    submission_deadline = models.DateTimeField(_("submission deadline"))
    late_policy = models.CharField(
        _("late policy"), max_length=16, choices=LatePolicy.choices, default=LatePolicy.REFUSE
    )
    late_deadline = models.DateTimeField(
        _("late deadline"), null=True, blank=True, help_text=_("Last moment a late submission is accepted.")
    )
    late_penalty_percent = models.DecimalField(
        _("late penalty (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    advancement_rule = models.CharField(
        _("advancement"), max_length=16, choices=AdvancementRule.choices, default=AdvancementRule.NONE
    )
    advance_top_n = models.PositiveSmallIntegerField(_("teams advancing"), null=True, blank=True)
    advance_threshold = models.DecimalField(
        _("score to advance"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    results_visibility = models.CharField(
        _("results visibility"), max_length=16, choices=ResultsVisibility.choices, default=ResultsVisibility.OWN
    )

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("introduction"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("submission_deadline")]),
                FieldRowPanel(
                    [FieldPanel("late_policy"), FieldPanel("late_deadline"), FieldPanel("late_penalty_percent")]
                ),
            ],
            heading=_("Dates and deadlines"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("advancement_rule"),
                FieldRowPanel([FieldPanel("advance_top_n"), FieldPanel("advance_threshold")]),
                FieldPanel("results_visibility"),
            ],
            heading=_("Advancement and results"),
        ),
        InlinePanel("judges", label=_("Judges of this round")),
        InlinePanel("tasks", label=_("Tasks"), min_num=1),
    ]
    base_form_class = RoundPageForm
    parent_page_types = ["competitions.CompetitionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("competition round")

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.opens_at and self.submission_deadline and self.submission_deadline <= self.opens_at:
            errors["submission_deadline"] = _("The deadline must come after the round opens.")
        if self.late_policy != LatePolicy.REFUSE:
            if not self.late_deadline:
                errors["late_deadline"] = _("Say until when late submissions are accepted.")
            elif self.submission_deadline and self.late_deadline <= self.submission_deadline:
                errors["late_deadline"] = _("The late deadline must come after the submission deadline.")
        if self.advancement_rule == AdvancementRule.TOP_N and not self.advance_top_n:
            errors["advance_top_n"] = _("Say how many teams advance.")
        if self.advancement_rule == AdvancementRule.THRESHOLD and self.advance_threshold is None:
            errors["advance_threshold"] = _("Give the score a team needs to advance.")
        if self.kind == RoundKind.FINAL and not errors:
            previous = self.previous_round()
            if previous is not None and previous.advancement_rule == AdvancementRule.NONE:
                errors["kind"] = _(
                    "A final needs an advancement rule on the round before it (“%(round)s”); set one there first."
                ) % {"round": previous.title}
        if errors:
            raise ValidationError(errors)

    def previous_round(self) -> "RoundPage | None":
        """The round before this one among its competition's rounds (by page order).

        A round being created has no place in the tree yet; the admin form gives it ``validation_parent``.
        """
        parent = self.get_parent() if self.pk else getattr(self, "validation_parent", None)
        if parent is None:
            return None
        siblings = RoundPage.objects.child_of(parent).order_by("path")
        if self.pk:
            return siblings.filter(path__lt=self.path).last()
        return siblings.last()

    @property
    def competition(self) -> CompetitionPage:
        return CompetitionPage.objects.get(pk=self.get_parent().pk)

    def get_context(self, request, *args, **kwargs):
        from competitions.selectors.briefs import round_context

        context = super().get_context(request, *args, **kwargs)
        context.update(round_context(round_page=self, user=request.user))
        return context


class RoundJudge(Orderable):
    round = ParentalKey(RoundPage, on_delete=models.CASCADE, related_name="judges")
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("judge"), on_delete=models.PROTECT, related_name="judged_rounds"
    )
    organisation = models.CharField(
        _("organisation"), max_length=160, blank=True, help_text=_("For enterprise experts.")
    )

    panels = [FieldPanel("judge"), FieldPanel("organisation")]

    class Meta(Orderable.Meta):
        verbose_name = _("round judge")
        constraints = [models.UniqueConstraint(fields=["round", "judge"], name="one_panel_seat_per_judge_and_round")]


class Task(Orderable, ClusterableModel):
    round = ParentalKey(RoundPage, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("title"), max_length=200)
    brief = RichTextField(_("brief"), features=["bold", "italic", "link", "ol", "ul"])
    deliverables = models.TextField(_("deliverables"), blank=True)
    max_points = models.DecimalField(
        _("maximum points"), max_digits=6, decimal_places=2, default=Decimal("100"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )  # fmt: skip

    panels = [
        FieldPanel("title"),
        FieldPanel("brief"),
        FieldPanel("deliverables"),
        FieldPanel("max_points"),
        InlinePanel("criteria", label=_("Rubric criteria"), min_num=1),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.title


class LevelDescriptorBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Level"))
    points = blocks.DecimalBlock(label=_("Points"), min_value=0)
    descriptor = blocks.TextBlock(label=_("What work at this level looks like"))

    class Meta:
        icon = "list-ol"
        label = _("Level descriptor")


class Criterion(Orderable, ClusterableModel):
    task = ParentalKey(Task, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(_("title"), max_length=200)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=Decimal("1"),
        help_text=_("Relative weight of this criterion within the task (above 0)."),
    )  # fmt: skip
    max_points = models.DecimalField(
        _("maximum points"), max_digits=6, decimal_places=2, default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )  # fmt: skip
    levels = StreamField([("level", LevelDescriptorBlock())], verbose_name=_("level descriptors"), blank=True)

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("weight"), FieldPanel("max_points")]),
        FieldPanel("levels"),
        InlinePanel("alignments", label=_("Aligned course outcomes"), min_num=1),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        constraints = [models.CheckConstraint(condition=models.Q(weight__gt=0), name="criterion_weight_positive")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.weight is not None and self.weight <= 0:
            raise ValidationError({"weight": _("The weight must be above 0.")})
        for block in self.levels or []:
            if self.max_points is not None and block.value["points"] > self.max_points:
                raise ValidationError(
                    {"levels": _("Level “%(label)s” has more points than the criterion's maximum.")
                     % {"label": block.value["label"]}}
                )  # fmt: skip


class CriterionAlignment(Orderable):
    criterion = ParentalKey(Criterion, on_delete=models.CASCADE, related_name="alignments")
    outcome = models.ForeignKey(
        "courses.CourseOutcome",
        verbose_name=_("course outcome"),
        on_delete=models.PROTECT,
        related_name="criterion_alignments",
    )
    weight = models.DecimalField(
        _("weight"), max_digits=4, decimal_places=2, default=Decimal("1"),
        help_text=_("Above 0 and at most 1: how strongly this criterion shows the outcome."),
    )  # fmt: skip

    panels = [FieldPanel("outcome"), FieldPanel("weight")]

    class Meta(Orderable.Meta):
        verbose_name = _("criterion alignment")
        constraints = [
            models.UniqueConstraint(fields=["criterion", "outcome"], name="one_alignment_per_criterion_and_outcome"),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0) & models.Q(weight__lte=1), name="criterion_alignment_weight_in_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.task.title} · {self.criterion.title}"

    def clean(self) -> None:
        if self.weight is not None and not Decimal("0") < self.weight <= Decimal("1"):
            raise ValidationError({"weight": _("The weight must be above 0 and at most 1.")})
