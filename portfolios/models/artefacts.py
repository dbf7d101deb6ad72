"""Portfolio artefacts, their versions and their reviews. Nothing here is overwritten.

Every save by the student is a new :class:`ArtefactVersion`; the artefact points at its current one.
A review signs off one version (one review per version) and locks the artefact; the student answers
with a new version, which goes back for review. Withdrawing sets ``withdrawn_at``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.uploads import private_storage


class ArtefactKind(models.TextChoices):
    COMPETITION_ENTRY = "competition_entry", _("Competition entry")
    COURSE_WORK = "course_work", _("Course work")
    INTERNSHIP = "internship", _("Internship or enterprise project")
    CERTIFICATE = "certificate", _("Skill certificate")
    PRACTICE = "practice", _("Practice record")
    REFLECTION = "reflection", _("Reflection")


class Visibility(models.TextChoices):
    """Who besides the student sees an artefact; each level includes the ones before it."""

    PRIVATE = "private", _("Only me")
    REVIEWERS = "reviewers", _("My teachers and mentors")
    EMPLOYERS = "employers", _("Also employers I share my portfolio with")
    PUBLIC = "public", _("Everyone")


class ArtefactStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Waiting for review")
    SIGNED_OFF = "signed_off", _("Reviewed")


class ReviewVerdict(models.TextChoices):
    DOES_NOT_MEET = "does_not_meet", _("Does not meet")
    PARTIALLY_MEETS = "partially_meets", _("Partially meets")
    MEETS = "meets", _("Meets")


class Artefact(models.Model):
    portfolio = models.ForeignKey(
        "portfolios.PortfolioPage", verbose_name=_("portfolio"), on_delete=models.PROTECT, related_name="artefacts"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=ArtefactKind.choices)
    visibility = models.CharField(
        _("visible to"), max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    status = models.CharField(_("status"), max_length=16, choices=ArtefactStatus.choices, default=ArtefactStatus.DRAFT)
    sort_order = models.PositiveIntegerField(_("position"), default=0)
    current_version = models.OneToOneField(
        "portfolios.ArtefactVersion",
        verbose_name=_("current version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("artefact")
        verbose_name_plural = _("artefacts")
        ordering = ["portfolio", "sort_order", "id"]
        permissions = [("review_artefact", _("Can review this artefact"))]

    def __str__(self) -> str:
        return self.current_version.title if self.current_version_id else f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_locked(self) -> bool:
        """The student cannot change it in place: it is with a reviewer or signed off."""
        return self.status != ArtefactStatus.DRAFT or self.withdrawn_at is not None


class ArtefactVersion(models.Model):
    """What the student said at one moment. Kind-specific fields are blank for other kinds."""

    artefact = models.ForeignKey(
        Artefact, verbose_name=_("artefact"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("description"), blank=True, help_text=_("Stored already sanitised."))
    done_on = models.DateField(_("done on"), help_text=_("When the work was done."))
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    enterprise = models.CharField(_("enterprise"), max_length=160, blank=True)
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enterprise mentor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issuer = models.CharField(_("issuer"), max_length=160, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=80, blank=True)
    platform = models.CharField(_("platform"), max_length=120, blank=True, help_text=_("e.g. TikTok Shop, Amazon"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, null=True, blank=True)
    linked_work_key = models.CharField(_("linked work"), max_length=120, blank=True)
    linked_work_title = models.CharField(_("linked work title"), max_length=255, blank=True)
    linked_work_url = models.CharField(_("linked work URL"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="portfolios/%Y/%m/", storage=private_storage, blank=True)
    original_filename = models.CharField(_("original file name"), max_length=255, blank=True)
    file_kind = models.CharField(_("file type"), max_length=16, blank=True)
    claimed_outcomes = models.ManyToManyField(
        "courses.CourseOutcome", verbose_name=_("claimed course outcomes"), blank=True, related_name="+"
    )
    claimed_competencies = models.ManyToManyField(
        "courses.Competency", verbose_name=_("claimed competencies"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_for_review_at = models.DateTimeField(_("sent for review at"), null=True, blank=True)

    class Meta:
        verbose_name = _("artefact version")
        verbose_name_plural = _("artefact versions")
        ordering = ["artefact", "-number"]
        constraints = [models.UniqueConstraint(fields=["artefact", "number"], name="one_row_per_artefact_version")]

    def __str__(self) -> str:
        return f"{self.title} · v{self.number}"

    @property
    def is_image(self) -> bool:
        return self.file_kind in {"png", "jpeg", "gif", "webp"}


class ArtefactReview(models.Model):
    """A reviewer's sign-off of one version: verdict, level on the scale and comment, with who and when."""

    artefact = models.ForeignKey(Artefact, verbose_name=_("artefact"), on_delete=models.PROTECT, related_name="reviews")
    version = models.OneToOneField(
        ArtefactVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="review"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    verdict = models.CharField(_("verdict"), max_length=16, choices=ReviewVerdict.choices)
    level = models.ForeignKey(
        "courses.ProficiencyLevel", verbose_name=_("level"), on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("artefact review")
        verbose_name_plural = _("artefact reviews")
        ordering = ["artefact", "-reviewed_at"]

    def __str__(self) -> str:
        return f"{self.version} · {self.get_verdict_display()}"
