"""Wagtail admin registrations for the courses core (snippets with list filters and search)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import ObjectList
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from courses.forms import ProficiencyScaleForm
from courses.models import (
    Cohort,
    Competency,
    CompetencyFramework,
    CourseAssessment,
    ProficiencyScale,
    Programme,
)


class ProficiencyScaleViewSet(SnippetViewSet):
    model = ProficiencyScale
    icon = "order"
    menu_label = _("Proficiency scales")
    list_display = ["name"]
    edit_handler = ObjectList(ProficiencyScale.panels, base_form_class=ProficiencyScaleForm)


class CompetencyFrameworkViewSet(SnippetViewSet):
    model = CompetencyFramework
    icon = "table"
    menu_label = _("Frameworks")
    list_display = ["name", "scale", "calculation_method"]
    list_filter = ["calculation_method"]


class CompetencyFilterSet(WagtailFilterSet):
    class Meta:
        model = Competency
        fields = ["framework"]


class CompetencyViewSet(SnippetViewSet):
    model = Competency
    icon = "pick"
    menu_label = _("Competencies")
    list_display = ["code", "name", "framework", "demand_weight", "parent"]
    filterset_class = CompetencyFilterSet
    search_fields = ["name", "code"]
    ordering = ["framework", "sort_order", "code"]


class ProgrammeViewSet(SnippetViewSet):
    model = Programme
    icon = "folder-open-inverse"
    menu_label = _("Programmes")
    list_display = ["name", "code", "framework"]


class CohortViewSet(SnippetViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Cohorts")
    list_display = ["name", "programme", "entry_year"]
    list_filter = ["programme", "entry_year"]
    search_fields = ["name"]


class CourseAssessmentViewSet(SnippetViewSet):
    model = CourseAssessment
    icon = "doc-full"
    menu_label = _("Assessments")
    list_display = ["title", "course", "held_on", "max_score"]
    list_filter = ["held_on"]
    search_fields = ["title"]


class CurriculumViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Curriculum")
    menu_icon = "table"
    menu_order = 200
    items = (
        CompetencyFrameworkViewSet,
        CompetencyViewSet,
        ProficiencyScaleViewSet,
        ProgrammeViewSet,
        CohortViewSet,
        CourseAssessmentViewSet,
    )
