from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from courses.roles import is_teacher_or_administrator
from portfolios.admin_views import HEADER_ICON, admin_urls
from portfolios.models import ArtefactStatus
from portfolios.selectors import is_reviewer, review_counts
from portfolios.transcripts import admin_views as transcript_admin


@hooks.register("register_admin_urls")
def register_portfolio_admin_urls():
    return admin_urls()


@hooks.register("register_admin_urls")
def register_transcript_admin_urls():
    return transcript_admin.admin_urls()


class ReviewerMenuItem(MenuItem):
    def is_shown(self, request):
        return is_reviewer(user=request.user)


@hooks.register("register_admin_menu_item")
def register_reviews_menu_item():
    return ReviewerMenuItem(_("Reviews"), reverse("portfolios_admin_reviews"), icon_name=HEADER_ICON, order=230)


class TranscriptsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_teacher_or_administrator(request.user)


@hooks.register("register_admin_menu_item")
def register_transcripts_menu_item():
    return TranscriptsMenuItem(
        _("Transcripts"),
        reverse("transcripts_admin_classes"),
        icon_name=transcript_admin.HEADER_ICON,
        order=235,
    )


class WaitingForReviewPanel(Component):
    """On the dashboard: how many artefacts wait for this reviewer, with a link to the queue."""

    name = "waiting_for_review"
    template_name = "portfolios/admin/home_panel.html"
    order = 120

    def __init__(self, waiting: int):
        self.waiting = waiting

    def get_context_data(self, parent_context):
        queue_url = f"{reverse('portfolios_admin_reviews')}?status={ArtefactStatus.IN_REVIEW}"
        return {"waiting": self.waiting, "queue_url": queue_url}


@hooks.register("construct_homepage_panels")
def add_waiting_for_review_panel(request, panels):
    if not is_reviewer(user=request.user):
        return
    waiting = review_counts(reviewer=request.user)[ArtefactStatus.IN_REVIEW]
    if waiting:
        panels.append(WaitingForReviewPanel(waiting))
