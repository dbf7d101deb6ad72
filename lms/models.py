"""The home page: the project's front door, listing programmes and their courses."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from competitions.models import CompetitionPage


class HomePage(Page):
    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    subpage_types = ["courses.CourseIndexPage", "competitions.CompetitionIndexPage", "portfolios.PortfolioIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from courses import selectors

        context = super().get_context(request, *args, **kwargs)
        context["catalogues"] = selectors.published_catalogues(under=self)
        context["competitions"] = (
            CompetitionPage.objects.live().public().descendant_of(self).order_by("-registration_opens")[:6]
        )
        return context
