"""django-guardian's direct foreign-key permission tables: faster joins, and grants die with their object."""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class TeamUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("competitions.Team", on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        pass


class TeamGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("competitions.Team", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        pass


class JudgeAssignmentUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("competitions.JudgeAssignment", on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        pass


class JudgeAssignmentGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("competitions.JudgeAssignment", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        pass
