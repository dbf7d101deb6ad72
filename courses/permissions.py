"""Who may see and change what in the courses core.

Teachers act on the cohorts they teach (``Cohort.teachers``); site administrators on everything. Evidence is
visible to the student it is about, to teachers of the student's cohorts and to administrators. Gate
functions answer 404 for both "does not exist" and "not yours".
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from courses.models import Cohort, CourseIndexPage, CourseTeacher, EvidenceRecord, Programme, TeacherRole
from courses.roles import TEACHERS, has_role


def cohorts_for_teacher(user: AbstractBaseUser) -> QuerySet[Cohort]:
    if user.is_superuser:
        return Cohort.objects.select_related("programme").all()
    return Cohort.objects.select_related("programme").filter(teachers=user)


def access_cohort(user: AbstractBaseUser, pk: int) -> Cohort:
    return get_object_or_404(cohorts_for_teacher(user), pk=pk)


def programmes_taught_by(user: AbstractBaseUser) -> QuerySet[Programme]:
    """The programmes whose analytics a person may see: administrators all; a teacher those in which they
    teach a class (``Cohort.teachers``) or a course (as its school teacher, not as an enterprise mentor)."""
    if not user.is_authenticated:
        return Programme.objects.none()
    if user.is_superuser:
        return Programme.objects.all()
    if not has_role(user, TEACHERS):
        return Programme.objects.none()
    course_paths = CourseTeacher.objects.filter(user=user, role=TeacherRole.TEACHER).values_list(
        "course__path", flat=True
    )
    # A course page sits right under its programme's course index: its parent's path drops the last step.
    index_paths = {path[: -CourseIndexPage.steplen] for path in course_paths}
    through_courses = CourseIndexPage.objects.filter(path__in=index_paths).values("programme_id")
    return Programme.objects.filter(Q(cohorts__teachers=user) | Q(pk__in=through_courses)).distinct()


def cohorts_for_analytics(user: AbstractBaseUser) -> QuerySet[Cohort]:
    """The classes of the programmes a person may see analytics of (their own and their colleagues' classes)."""
    return Cohort.objects.filter(programme__in=programmes_taught_by(user)).select_related("programme")


def access_cohort_analytics(user: AbstractBaseUser, pk: int) -> Cohort:
    return get_object_or_404(cohorts_for_analytics(user), pk=pk)


def access_programme_analytics(user: AbstractBaseUser, pk: int) -> Programme:
    return get_object_or_404(programmes_taught_by(user), pk=pk)


def evidence_visible_to(user: AbstractBaseUser) -> QuerySet[EvidenceRecord]:
    if not user.is_authenticated:
        return EvidenceRecord.objects.none()
    if user.is_superuser:
        return EvidenceRecord.objects.all()
    taught_students = Cohort.objects.filter(teachers=user).values("enrolments__student")
    return EvidenceRecord.objects.filter(student__in=taught_students) | EvidenceRecord.objects.filter(student=user)
