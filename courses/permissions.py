"""Who may see and change what in the courses core.

Teachers act on the cohorts they teach (``Cohort.teachers``); site administrators on everything. Evidence is
visible to the student it is about, to teachers of the student's cohorts and to administrators. Gate
functions answer 404 for both "does not exist" and "not yours".
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from courses.models import Cohort, EvidenceRecord


def cohorts_for_teacher(user: AbstractBaseUser) -> QuerySet[Cohort]:
    if user.is_superuser:
        return Cohort.objects.select_related("programme").all()
    return Cohort.objects.select_related("programme").filter(teachers=user)


def access_cohort(user: AbstractBaseUser, pk: int) -> Cohort:
    return get_object_or_404(cohorts_for_teacher(user), pk=pk)


def evidence_visible_to(user: AbstractBaseUser) -> QuerySet[EvidenceRecord]:
    if not user.is_authenticated:
        return EvidenceRecord.objects.none()
    if user.is_superuser:
        return EvidenceRecord.objects.all()
    taught_students = Cohort.objects.filter(teachers=user).values("enrolments__student")
    return EvidenceRecord.objects.filter(student__in=taught_students) | EvidenceRecord.objects.filter(student=user)
