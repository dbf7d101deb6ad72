"""State changes that belong to the project layer: roles and sections."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Page

from lms.roles import ROLE_PERMISSIONS, TEACHER_PAGE_PERMISSIONS, TEACHERS


@transaction.atomic
def sync_role_groups() -> dict[str, Group]:
    """Create the role groups and give each exactly the model permissions ROLE_PERMISSIONS lists."""
    groups = {}
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        permissions = []
        for name in names:
            app_label, codename = name.split(".")
            permissions.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.add(*permissions)
        groups[role] = group
    return groups


@transaction.atomic
def grant_course_section(*, section: Page, group: Group | None = None) -> None:
    """Let a group (teachers by default) add, edit and publish pages under ``section``."""
    group = group or Group.objects.get(name=TEACHERS)
    for codename in TEACHER_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=section,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
