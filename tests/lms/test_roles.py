"""Roles are groups created by a migration; teachers edit only the course sections granted to them."""

import subprocess
import sys

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page

from lms.roles import ROLE_PERMISSIONS
from lms.services import grant_course_section
from tests.factories import UserFactory, course_index, course_page, site_home

pytestmark = pytest.mark.django_db


def test_every_role_group_exists_with_its_permissions():
    for role, names in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert granted == set(names), role


def test_teachers_edit_and_publish_only_in_granted_sections(teacher):
    granted = course_index(title="Courses")
    other = site_home().add_child(instance=Page(title="News", slug="news"))
    grant_course_section(section=granted)
    course = course_page(index=granted, code="ECO101")
    assert course.permissions_for_user(teacher).can_edit()
    assert course.permissions_for_user(teacher).can_publish()
    assert not other.permissions_for_user(teacher).can_edit()


@pytest.mark.parametrize("role", ["Students", "Employers"])
def test_students_and_employers_cannot_enter_the_admin(client, role):
    user = UserFactory(roles=[role])
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302


def test_teachers_can_enter_the_admin(client, teacher):
    client.force_login(teacher)
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    ("env", "message"),
    [({}, "SECRET_KEY must be set"), ({"SECRET_KEY": "x" * 60}, "ALLOWED_HOSTS must name")],
)
def test_production_settings_refuse_to_start_without_secrets(env, message):
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={"DJANGO_SETTINGS_MODULE": "lms.settings.production", "PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stderr
