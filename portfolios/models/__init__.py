from portfolios.models.artefacts import (
    Artefact,
    ArtefactKind,
    ArtefactReview,
    ArtefactStatus,
    ArtefactVersion,
    ReviewVerdict,
    Visibility,
)
from portfolios.models.object_permissions import (
    ArtefactGroupObjectPermission,
    ArtefactUserObjectPermission,
    PortfolioGroupObjectPermission,
    PortfolioUserObjectPermission,
)
from portfolios.models.pages import PortfolioIndexPage, PortfolioPage, PortfolioShare

__all__ = [
    "Artefact",
    "ArtefactGroupObjectPermission",
    "ArtefactKind",
    "ArtefactReview",
    "ArtefactStatus",
    "ArtefactUserObjectPermission",
    "ArtefactVersion",
    "PortfolioGroupObjectPermission",
    "PortfolioIndexPage",
    "PortfolioPage",
    "PortfolioShare",
    "PortfolioUserObjectPermission",
    "ReviewVerdict",
    "Visibility",
]
