"""Competency frameworks, their competencies and the proficiency scale evidence is scored on."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from themes.models import hex_colour


class ProficiencyScale(ClusterableModel):
    """Ordered levels with points; exactly one level marks mastery (checked by the admin form and a constraint)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        InlinePanel("levels", label=_("Levels"), min_num=2, heading=_("Levels, lowest first")),
    ]

    class Meta:
        verbose_name = _("proficiency scale")
        verbose_name_plural = _("proficiency scales")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @cached_property
    def levels_by_points(self) -> list["ProficiencyLevel"]:
        """The saved levels, lowest first (read once per scale object)."""
        return list(ProficiencyLevel.objects.filter(scale=self).order_by("points"))


class ProficiencyLevel(Orderable):
    scale = ParentalKey(ProficiencyScale, on_delete=models.CASCADE, related_name="levels")
    name = models.CharField(_("name"), max_length=80)
    points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    descriptor = models.CharField(_("descriptor"), max_length=255, blank=True)
    is_mastery = models.BooleanField(
        _("marks mastery"), default=False, help_text=_("Exactly one level of a scale marks mastery.")
    )
    colour = models.CharField(
        _("colour"),
        max_length=7,
        blank=True,
        validators=[hex_colour],
        help_text=_("The level's colour in class heat maps. Leave empty for a shade by rank, light to dark."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("points"),
        FieldPanel("descriptor"),
        FieldPanel("is_mastery"),
        FieldPanel("colour"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("proficiency level")
        verbose_name_plural = _("proficiency levels")
        constraints = [
            models.UniqueConstraint(fields=["scale"], condition=Q(is_mastery=True), name="one_mastery_level_per_scale"),
            models.UniqueConstraint(fields=["scale", "points"], name="unique_points_per_scale"),
            models.CheckConstraint(condition=Q(points__gte=0), name="level_points_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.points})"


class CalculationMethod(models.TextChoices):
    WEIGHTED_LATEST = "weighted_latest", _("Weighted latest")
    DECAYING_AVERAGE = "decaying_average", _("Decaying average")
    N_TIMES_MASTERY = "n_times_mastery", _("Mastered n times")
    HIGHEST = "highest", _("Highest")
    LATEST = "latest", _("Latest")
    MEAN = "mean", _("Mean")


#: The parameter each method takes, and its default when a teacher leaves it empty.
METHOD_PARAMETER_DEFAULTS: dict[str, Decimal] = {
    CalculationMethod.WEIGHTED_LATEST: Decimal("0.65"),
    CalculationMethod.DECAYING_AVERAGE: Decimal("0.65"),
    CalculationMethod.N_TIMES_MASTERY: Decimal("3"),
}


class CompetencyFramework(ClusterableModel):
    name = models.CharField(_("name"), max_length=160, unique=True)
    description = models.TextField(_("description"), blank=True)
    scale = models.ForeignKey(
        ProficiencyScale, verbose_name=_("proficiency scale"), on_delete=models.PROTECT, related_name="frameworks"
    )
    calculation_method = models.CharField(
        _("calculation method"),
        max_length=32,
        choices=CalculationMethod.choices,
        default=CalculationMethod.WEIGHTED_LATEST,
    )
    method_parameter = models.DecimalField(
        _("method parameter"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_(
            "Weighted latest: weight w of the latest evidence (0–1, default 0.65). "
            "Decaying average: decay d (0–1, default 0.65). "
            "Mastered n times: n, a whole number (default 3). Other methods take none."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("scale"),
        MultiFieldPanel([FieldPanel("calculation_method"), FieldPanel("method_parameter")], heading=_("Attainment")),
    ]

    class Meta:
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_parameter(self) -> Decimal | None:
        if self.method_parameter is not None:
            return self.method_parameter
        return METHOD_PARAMETER_DEFAULTS.get(self.calculation_method)

    def clean(self) -> None:
        value = self.method_parameter
        if value is None:
            return
        method = self.calculation_method
        if method in (CalculationMethod.WEIGHTED_LATEST, CalculationMethod.DECAYING_AVERAGE):
            if not Decimal("0") < value <= Decimal("1"):
                raise ValidationError({"method_parameter": _("This method needs a number above 0 and at most 1.")})
        elif method == CalculationMethod.N_TIMES_MASTERY:
            if value < 1 or value != value.to_integral_value():
                raise ValidationError({"method_parameter": _("n must be a whole number of at least 1.")})
        else:
            raise ValidationError({"method_parameter": _("This method takes no parameter; leave it empty.")})


class Competency(index.Indexed, models.Model):
    framework = models.ForeignKey(
        CompetencyFramework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="competencies"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent competency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    demand_weight = models.PositiveSmallIntegerField(
        _("industry-demand weight"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("0–100: how strongly employers ask for this competency (from employer surveys)."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("framework"),
        FieldPanel("parent"),
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("demand_weight"),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("code"),
        index.AutocompleteField("name"),
        index.FilterField("framework"),
    ]

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["framework", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_competency_code_per_framework"),
            models.CheckConstraint(condition=Q(demand_weight__lte=100), name="demand_weight_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.parent_id is None:
            return
        if self.parent.framework_id != self.framework_id:
            raise ValidationError({"parent": _("The parent must belong to the same framework.")})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A competency cannot be its own ancestor.")})
            ancestor = ancestor.parent
