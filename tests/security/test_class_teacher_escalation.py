"""Being a class teacher (``Cohort.teachers``, with the class's enrolments) opens a student's evidence, portfolio,
transcripts (and revoking them), and the analytics of the class's programme. The rule (docs/architecture.md):
"A teacher acts on the cohorts they are a class teacher of". So a teacher must not be able to make themselves
the class teacher of a student they do not teach.

The world's ``other_teacher`` teaches Class B (another programme) and nothing of the ``owner``'s. Each test tries
one way in, through the admin a teacher has, and checks the door stays shut afterwards.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.security.world import World

pytestmark = pytest.mark.django_db


def teacher_client(world: World) -> Client:
    client = Client()
    client.force_login(world.users["other_teacher"])
    return client


def assert_still_shut_out(client: Client, world: World) -> None:
    answers = {
        "transcript": client.get(reverse("transcripts:detail", args=[world.transcript.pk])).status_code,
        "student's transcripts (admin)": client.get(
            reverse("transcripts_admin_student", args=[world.owner.pk])
        ).status_code,
        "class analytics": client.get(reverse("analytics_attainment") + f"?cohort={world.cohort.pk}").status_code,
    }
    assert answers == dict.fromkeys(answers, 404)


def test_a_teacher_cannot_add_themselves_to_another_teachers_class(world):
    """Curriculum › Cohorts (a Wagtail snippet): Teachers hold courses.change_cohort for every cohort, and the
    edit form includes the class teachers."""
    client = teacher_client(world)
    other_teacher = world.users["other_teacher"]
    client.post(
        reverse("wagtailsnippets_courses_cohort:edit", args=[world.cohort.pk]),
        {
            "programme": world.programme.pk,
            "name": world.cohort.name,
            "entry_year": world.cohort.entry_year,
            "teachers": [world.users["teacher"].pk, other_teacher.pk],
        },
    )
    joined = world.cohort.teachers.filter(pk=other_teacher.pk).exists()
    assert not joined, "another class's teacher made themselves class teacher of Class A"
    assert_still_shut_out(client, world)


def test_a_teacher_cannot_enrol_another_programmes_student_in_their_own_class(world):
    """Import roster: the student number is matched to an existing account's user name, which is then enrolled
    in the importing teacher's class (and added to the Students group, whatever the account is)."""
    client = teacher_client(world)
    address = reverse("courses_import_roster")
    roster = f"student_number,family_name,given_name\n{world.owner.username},陈,小红\n".encode()
    preview = client.post(
        address,
        {
            "cohort": world.other_cohort.pk,
            "enrolled_on": "2026-09-01",
            "file": SimpleUploadedFile("roster.csv", roster, content_type="text/csv"),
        },
    )
    token = re.search(rb'name="token" value="([^"]+)"', preview.content)
    if token is not None:  # the preview offers to apply the import: apply it
        client.post(address, {"token": token.group(1).decode()})
    enrolled = world.owner.enrolments.filter(cohort=world.other_cohort).exists()
    assert not enrolled, "another programme's teacher enrolled the student in their own class"
    assert_still_shut_out(client, world)


def test_a_teacher_cannot_reach_a_programmes_analytics_by_creating_a_class_in_it(world):
    """Curriculum › Cohorts › Add: Teachers hold courses.add_cohort for every programme, and a class teacher of one
    class of a programme sees the analytics of all of its classes."""
    client = teacher_client(world)
    client.post(
        reverse("wagtailsnippets_courses_cohort:add"),
        {
            "programme": world.programme.pk,
            "name": "Class Z",
            "entry_year": 2024,
            "teachers": [world.users["other_teacher"].pk],
        },
    )
    response = client.get(reverse("analytics_attainment") + f"?cohort={world.cohort.pk}")
    assert response.status_code == 404, "a class made up in the programme opened the analytics of its classes"
