"""Teachers no longer add or edit classes (cohorts): being a class teacher opens the students' records, so only
administrators set who teaches a class."""

from django.db import migrations

TEACHERS = "Teachers"
CODENAMES = ["add_cohort", "change_cohort"]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="courses", codename__in=CODENAMES)


def withdraw(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=TEACHERS).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


def restore(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=TEACHERS).first()
    if group is not None:
        group.permissions.add(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("lms", "0002_role_groups")]

    operations = [migrations.RunPython(withdraw, restore)]
