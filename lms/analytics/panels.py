"""The analytics panel on a teacher's Wagtail dashboard: their classes with links to the class reports, and their
programmes' alignment gaps (cheap to count: a constant number of queries per programme, no attainment)."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from wagtail.admin.ui.components import Component

from courses.models import Cohort, Programme
from courses.permissions import cohorts_for_analytics, programmes_taught_by
from lms.analytics.selectors import AlignmentReport, alignment_report

#: The panel lists at most this many classes and programmes; the reports list them all.
PANEL_LIMIT = 6


@dataclass(frozen=True)
class ProgrammeGaps:
    programme: Programme
    report: AlignmentReport


class AnalyticsPanel(Component):
    name = "analytics"
    template_name = "lms/analytics/home_panel.html"
    order = 130

    def __init__(self, user: AbstractBaseUser):
        self.user = user

    def get_context_data(self, parent_context):
        own = Cohort.objects.filter(teachers=self.user) if not self.user.is_superuser else Cohort.objects.all()
        cohorts = list(cohorts_for_analytics(self.user).filter(pk__in=own.values("pk"))[:PANEL_LIMIT])
        if not cohorts:
            cohorts = list(cohorts_for_analytics(self.user)[:PANEL_LIMIT])
        programmes = list(programmes_taught_by(self.user).select_related("framework").order_by("name")[:PANEL_LIMIT])
        return {
            "cohorts": cohorts,
            "programmes": [ProgrammeGaps(p, alignment_report(programme=p)) for p in programmes],
        }
