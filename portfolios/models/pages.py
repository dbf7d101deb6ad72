"""Portfolio pages: one per student, created on first use, edited by the student on front-end pages.

The page itself is served by Wagtail; what a visitor sees on it depends on who they are (see
:mod:`portfolios.permissions`). Students never edit their portfolio in the Wagtail admin.
"""

from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from portfolios.models.artefacts import Visibility


class PortfolioIndexPage(Page):
    """The parent of every portfolio page; it lists the portfolios that show something to everyone."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["lms.HomePage"]
    subpage_types = ["portfolios.PortfolioPage"]
    max_count = 1

    class Meta:
        verbose_name = _("portfolio index page")

    def get_context(self, request, *args, **kwargs):
        from portfolios.selectors import public_portfolios

        context = super().get_context(request, *args, **kwargs)
        context["portfolios"] = public_portfolios(index_page=self)
        return context


class PortfolioPage(Page):
    student = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("student"), on_delete=models.PROTECT, related_name="portfolio"
    )
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("Stored already sanitised; written by the student.")
    )
    overview_visibility = models.CharField(
        _("who sees my competency overview"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.REVIEWERS,
    )

    content_panels = [FieldPanel("title", read_only=True), FieldPanel("student", read_only=True)]
    promote_panels = [FieldPanel("slug", read_only=True)]
    parent_page_types = ["portfolios.PortfolioIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("portfolio page")
        permissions = [("view_shared_portfolio", _("Can see what the student shares with employers"))]

    def get_context(self, request, *args, **kwargs):
        from portfolios.selectors import portfolio_page_context

        context = super().get_context(request, *args, **kwargs)
        shown = portfolio_page_context(portfolio=self, viewer=request.user)
        if shown is None:
            raise Http404
        context.update(shown)
        return context


class PortfolioShare(models.Model):
    """A student's decision to let an employer account see what they share with employers.

    Revoking sets ``revoked_at``; the row stays, so the student can see who had access and when.
    The right itself is a guardian permission (``view_shared_portfolio``) granted and removed with the row.
    """

    portfolio = models.ForeignKey(
        PortfolioPage, verbose_name=_("portfolio"), on_delete=models.CASCADE, related_name="shares"
    )
    employer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("shared at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("portfolio share")
        verbose_name_plural = _("portfolio shares")
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["portfolio", "employer"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_open_share_per_employer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.portfolio} → {self.employer}"
