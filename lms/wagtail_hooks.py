"""The analytics reports in the Wagtail admin: their URLs, the Reports menu entries and a dashboard panel."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from courses.roles import is_teacher_or_administrator
from lms.analytics import views
from lms.analytics.panels import AnalyticsPanel


@hooks.register("register_admin_urls")
def register_analytics_urls():
    return [
        path("analytics/alignment/", views.AlignmentView.as_view(), name="analytics_alignment"),
        path("analytics/attainment/", views.AttainmentView.as_view(), name="analytics_attainment"),
        path("analytics/terms/", views.TermChangeView.as_view(), name="analytics_terms"),
        path("analytics/demand/", views.DemandGapView.as_view(), name="analytics_demand"),
    ]


class AnalyticsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_teacher_or_administrator(request.user)


@hooks.register("register_reports_menu_item")
def register_alignment_report():
    return AnalyticsMenuItem(_("Alignment matrix"), reverse("analytics_alignment"), icon_name="table", order=200)


@hooks.register("register_reports_menu_item")
def register_attainment_report():
    return AnalyticsMenuItem(_("Class attainment"), reverse("analytics_attainment"), icon_name="group", order=201)


@hooks.register("register_reports_menu_item")
def register_term_change_report():
    return AnalyticsMenuItem(_("Change between terms"), reverse("analytics_terms"), icon_name="history", order=202)


@hooks.register("register_reports_menu_item")
def register_demand_gap_report():
    return AnalyticsMenuItem(_("Industry-demand gap"), reverse("analytics_demand"), icon_name="crosshairs", order=203)


@hooks.register("construct_homepage_panels")
def add_analytics_panel(request, panels):
    if is_teacher_or_administrator(request.user):
        panels.append(AnalyticsPanel(request.user))
