"""Competency transcripts: frozen, signed snapshots of a student's attainment, and who may see them.

A :class:`Transcript` never changes after it is issued: its ``snapshot`` (the figures and the evidence behind
them), its signed ``credential`` and its rendered PDF are written once. Re-issuing makes a new transcript that
``supersedes`` the old; revoking records who, when and why. Shares are grants to employer accounts (with a
guardian permission) or secret links; every opening is logged.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courses.uploads import private_storage

#: Verification codes avoid letters and digits people confuse (0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12  # 31^12 ≈ 2^59: unguessable at the verification page's rate limit


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class RenderStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be rendered")
    RENDERING = "rendering", _("Rendering")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Rendering failed")


class TranscriptBatch(models.Model):
    """A teacher's request to issue transcripts for a whole cohort; progress is counted from its transcripts."""

    cohort = models.ForeignKey(
        "courses.Cohort", verbose_name=_("class"), on_delete=models.PROTECT, related_name="transcript_batches"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    total = models.PositiveIntegerField(_("transcripts"), default=0)

    class Meta:
        verbose_name = _("transcript batch")
        verbose_name_plural = _("transcript batches")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.cohort} · {self.requested_at:%Y-%m-%d %H:%M}"


class TranscriptBatchSkip(models.Model):
    """A student of a class batch who got no transcript, and why (e.g. nothing attained yet)."""

    batch = models.ForeignKey(TranscriptBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="skips")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("student"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("student skipped in a batch")
        verbose_name_plural = _("students skipped in a batch")
        ordering = ["batch", "at"]
        constraints = [models.UniqueConstraint(fields=["batch", "student"], name="one_skip_per_student_per_batch")]

    def __str__(self) -> str:
        return f"{self.batch} · {self.student}"


class Transcript(models.Model):
    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("student"), on_delete=models.PROTECT, related_name="transcripts"
    )
    version = models.PositiveIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=16)
    snapshot = models.JSONField(_("snapshot"), help_text=_("The attainment and evidence as they were at issue."))
    credential = models.TextField(_("signed credential"), help_text=_("The CLR 2.0 credential as a VC-JWT."))
    verification_code = models.CharField(
        _("verification code"), max_length=16, unique=True, default=new_verification_code, editable=False
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"))
    batch = models.ForeignKey(
        TranscriptBatch,
        verbose_name=_("batch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transcripts",
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    revoked_at = models.DateTimeField(pgettext_lazy("transcript", "revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.TextField(_("reason for revoking"), blank=True)
    render_status = models.CharField(
        _("PDF"), max_length=16, choices=RenderStatus.choices, default=RenderStatus.PENDING
    )
    render_error = models.TextField(_("rendering error"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to="transcripts/%Y/%m/", storage=private_storage, blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    render_started_at = models.DateTimeField(
        _("rendering started at"),
        null=True,
        blank=True,
        help_text=_("When a worker last claimed the rendering; a claim older than a few minutes is abandoned."),
    )
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("transcript")
        verbose_name_plural = _("transcripts")
        ordering = ["student", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["student", "version"], name="one_transcript_per_version"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""), name="revocation_has_reason"
            ),
        ]
        permissions = [("view_shared_transcript", _("Can see a transcript a student shared"))]

    def __str__(self) -> str:
        return f"{self.snapshot.get('student', {}).get('name', self.student_id)} · v{self.version}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class TranscriptGrant(models.Model):
    """A student lets one employer account see one transcript (guardian's ``view_shared_transcript``)."""

    transcript = models.ForeignKey(
        Transcript, verbose_name=_("transcript"), on_delete=models.PROTECT, related_name="grants"
    )
    employer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("shared at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("transcript grant")
        verbose_name_plural = _("transcript grants")
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["transcript", "employer"],
                condition=Q(revoked_at__isnull=True),
                name="one_open_grant_per_employer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.transcript} → {self.employer}"


class TranscriptLink(models.Model):
    """A secret link to one transcript. Only the SHA-256 of its token is stored; the token is shown once."""

    transcript = models.ForeignKey(
        Transcript, verbose_name=_("transcript"), on_delete=models.PROTECT, related_name="links"
    )
    token_sha256 = models.CharField(_("token hash"), max_length=64, unique=True)
    label = models.CharField(_("label"), max_length=120, blank=True, help_text=_("Who you gave it to."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(pgettext_lazy("share link", "revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("transcript link")
        verbose_name_plural = _("transcript links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label or f"#{self.pk}"


class AccessKind(models.TextChoices):
    VIEW = "view", _("Opened")
    DOWNLOAD = "download", _("Downloaded the PDF")
    CREDENTIAL = "credential", _("Downloaded the credential")


class TranscriptAccess(models.Model):
    """One opening of a shared transcript, by an employer account or through a link; shown to the student."""

    transcript = models.ForeignKey(
        Transcript, verbose_name=_("transcript"), on_delete=models.CASCADE, related_name="accesses"
    )
    kind = models.CharField(_("what"), max_length=16, choices=AccessKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    link = models.ForeignKey(
        TranscriptLink, verbose_name=_("link"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("transcript access")
        verbose_name_plural = _("transcript accesses")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.transcript} · {self.get_kind_display()} · {self.at:%Y-%m-%d %H:%M}"


class TranscriptFeedback(models.Model):
    """An employer's view of one competency on a transcript shared with them: how much it matters to them
    (1–5) and a comment. Kept for the teachers' analytics."""

    transcript = models.ForeignKey(
        Transcript, verbose_name=_("transcript"), on_delete=models.PROTECT, related_name="feedback"
    )
    competency = models.ForeignKey(
        "courses.Competency", verbose_name=_("competency"), on_delete=models.PROTECT, related_name="employer_feedback"
    )
    employer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="+"
    )
    importance = models.PositiveSmallIntegerField(_("how much it matters to us (1–5)"))
    comment = models.TextField(_("comment"), blank=True)
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )

    class Meta:
        verbose_name = _("employer feedback")
        verbose_name_plural = _("employer feedback")
        ordering = ["-given_at"]
        constraints = [
            models.CheckConstraint(condition=Q(importance__gte=1) & Q(importance__lte=5), name="importance_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.transcript} · {self.competency} · {self.importance}"
