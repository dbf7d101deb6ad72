"""Cross-app pages for the signed-in person."""

import sys

from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.template.response import TemplateResponse
from django.views.decorators.csrf import requires_csrf_token
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


#: How long a visitor (or a proxy, or a client library) is asked to wait when the database cannot be reached.
DATABASE_RETRY_AFTER_SECONDS = 10


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The site's 500 handler. When the error is the database being out of reach (a restart, a fail-over, a
    network cut) the answer is 503 with Retry-After, which tells people to try again shortly and proxies and
    monitors that the outage is temporary; everything else is a 500. Both pages are rendered without the
    database. Django logs the error either way."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))
