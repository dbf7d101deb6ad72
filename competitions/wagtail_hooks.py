from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from competitions.admin_views import admin_urls
from competitions.selectors.briefs import tasks_assessing_course
from courses.hooks import COURSE_PAGE_SECTIONS
from courses.roles import TEACHERS, has_role


@hooks.register(COURSE_PAGE_SECTIONS)
def competition_tasks_section(course, request):
    """On a course page: the competition tasks that assess the course's outcomes."""
    tasks = tasks_assessing_course(course=course)
    if not tasks:
        return None
    return render_to_string("competitions/includes/course_tasks.html", {"tasks": tasks}, request=request)


@hooks.register("register_admin_urls")
def register_competition_admin_urls():
    return admin_urls()


class OrganiserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or has_role(request.user, TEACHERS)


@hooks.register("register_admin_menu_item")
def register_competitions_menu_item():
    return OrganiserMenuItem(_("Competitions"), reverse("competitions_admin_rounds"), icon_name="trophy", order=220)
