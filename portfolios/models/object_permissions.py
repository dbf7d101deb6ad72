"""django-guardian's direct foreign-key permission tables: faster joins, and grants die with their object."""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class ArtefactUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("portfolios.Artefact", on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        pass


class ArtefactGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("portfolios.Artefact", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        pass


class PortfolioUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("portfolios.PortfolioPage", on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        pass


class PortfolioGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("portfolios.PortfolioPage", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        pass


class TranscriptUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("portfolios.Transcript", on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        pass


class TranscriptGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("portfolios.Transcript", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        pass
