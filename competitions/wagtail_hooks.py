from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from competitions.admin_views import admin_urls
from competitions.selectors.briefs import tasks_assessing_course
from competitions.selectors.teams import entries_of_student
from courses.hooks import COURSE_PAGE_SECTIONS, STUDENT_WORKS, StudentWork
from courses.roles import TEACHERS, has_role


@hooks.register(COURSE_PAGE_SECTIONS)
def competition_tasks_section(course, request):
    """On a course page: the competition tasks that assess the course's outcomes."""
    tasks = tasks_assessing_course(course=course)
    if not tasks:
        return None
    return render_to_string("competitions/includes/course_tasks.html", {"tasks": tasks}, request=request)


@hooks.register(STUDENT_WORKS)
def competition_entries(student):
    """A student's competition entries, which a portfolio artefact can link to; the team's advisor and mentor
    may verify such an artefact."""
    for entry in entries_of_student(student=student):
        team = entry.team
        yield StudentWork(
            key=f"competitions.entry:{team.pk}:{entry.task_id}",
            title=f"{team.competition.title} · {entry.task.title} · {team.name}",
            url=reverse("participation:submission", args=[entry.pk]),
            done_on=timezone.localdate(entry.submitted_at),
            reviewer_ids=tuple(pk for pk in (team.advisor_id, team.mentor_id) if pk),
        )


@hooks.register("register_admin_urls")
def register_competition_admin_urls():
    return admin_urls()


class OrganiserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or has_role(request.user, TEACHERS)


@hooks.register("register_admin_menu_item")
def register_competitions_menu_item():
    return OrganiserMenuItem(_("Competitions"), reverse("competitions_admin_rounds"), icon_name="trophy", order=220)
