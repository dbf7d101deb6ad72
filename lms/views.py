"""Cross-app pages for the signed-in person."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from courses.selectors import attainment_for_student, framework_for_student
from portfolios.selectors import CompetencyOverview


@require_safe
@login_required
def my_attainment(request: HttpRequest) -> HttpResponse:
    """A student's competencies: the radar, the figure per competency and, on demand, the evidence behind it."""
    framework = framework_for_student(student=request.user)
    overview = None
    if framework is not None:
        figures = attainment_for_student(student=request.user, framework=framework, explain=True)
        overview = CompetencyOverview(figures=figures, show_evidence=True)
    return TemplateResponse(request, "lms/my_attainment.html", {"framework": framework, "overview": overview})
