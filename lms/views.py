"""Cross-app pages for the signed-in person."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from courses.selectors import attainment_for_student, framework_for_student


@login_required
def my_attainment(request: HttpRequest) -> HttpResponse:
    """A student's competencies: the figure per competency and, on demand, the evidence behind it."""
    framework = framework_for_student(student=request.user)
    figures = attainment_for_student(student=request.user, framework=framework, explain=True) if framework else []
    return TemplateResponse(request, "lms/my_attainment.html", {"framework": framework, "figures": figures})
