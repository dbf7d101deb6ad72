from django.template.loader import render_to_string
from wagtail import hooks

from competitions.selectors.briefs import tasks_assessing_course
from courses.hooks import COURSE_PAGE_SECTIONS


@hooks.register(COURSE_PAGE_SECTIONS)
def competition_tasks_section(course, request):
    """On a course page: the competition tasks that assess the course's outcomes."""
    tasks = tasks_assessing_course(course=course)
    if not tasks:
        return None
    return render_to_string("competitions/includes/course_tasks.html", {"tasks": tasks}, request=request)
