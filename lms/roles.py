"""The people Kesai serves, as django.contrib.auth groups.

A person can hold several roles. Groups carry model permissions (what a role may manage in the Wagtail
admin); page permissions are granted per section with :func:`grant_course_section`, and per-object rights
(this team's submission, this student's evidence) through django-guardian in each app's permissions module.
"""

from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from courses.roles import EMPLOYERS, JUDGES, MENTORS, STUDENTS, TEACHERS, has_role

ROLE_LABELS = {
    TEACHERS: _("Teachers"),
    MENTORS: _("Enterprise mentors"),
    JUDGES: _("Judges"),
    STUDENTS: _("Students"),
    EMPLOYERS: _("Employers"),
}

#: Model permissions (app_label.codename) each role gets; page rights are per section.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    TEACHERS: [
        "wagtailadmin.access_admin",
        "courses.add_competency",
        "courses.change_competency",
        "courses.view_competency",
        "courses.view_competencyframework",
        "courses.view_proficiencyscale",
        "courses.view_programme",
        "courses.view_cohort",  # classes and their class teachers are set by administrators (a class teacher sees
        # the class's students' records, so a teacher must not be able to make themselves one)
        "courses.view_enrolment",
        "courses.add_enrolment",
        "courses.add_courseassessment",
        "courses.change_courseassessment",
        "courses.view_courseassessment",
        "courses.add_assessmentresult",
        "courses.view_assessmentresult",
        "courses.view_evidencerecord",
        "courses.add_evidencerecord",
        "wagtailimages.add_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.choose_document",
    ],
    MENTORS: [
        "wagtailadmin.access_admin",
        "courses.view_competency",
        "courses.view_evidencerecord",
    ],
    JUDGES: ["wagtailadmin.access_admin"],
    STUDENTS: [],
    EMPLOYERS: [],
}

#: Page permissions teachers hold on each course section they run.
TEACHER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]


def role_group(role: str) -> Group:
    return Group.objects.get(name=role)


__all__ = ["EMPLOYERS", "JUDGES", "MENTORS", "ROLE_LABELS", "ROLE_PERMISSIONS", "STUDENTS", "TEACHERS", "has_role"]
