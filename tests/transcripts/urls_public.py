"""The issuer's public addresses as the lead wires them, for tests that must not depend on ``lms.urls``."""

from django.urls import include, path

from portfolios.transcripts import public_views

transcripts = (
    [
        path("transcripts/issuer/", public_views.issuer_profile, name="issuer"),
        path(".well-known/jwks.json", public_views.issuer_jwks, name="jwks"),
    ],
    "transcripts",
)

urlpatterns = [path("", include(transcripts))]
