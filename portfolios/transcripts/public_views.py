"""The issuer's public key and profile, at the stable addresses every transcript credential names.

Both answer anyone (a verifier has no account), send only public material and allow cross-origin reads, so a
verifier's page in a browser can fetch them. The URL configuration must serve them at
``credential.ISSUER_PATH`` (name ``transcripts:issuer``) and ``credential.JWKS_PATH`` (``transcripts:jwks``).
"""

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from portfolios.transcripts.credential import default_site_url, issuer_document
from portfolios.transcripts.signing import public_jwk, verification_keys
from themes.models import BrandingSettings

CACHE_SECONDS = 3600


@require_safe
def issuer_profile(request: HttpRequest) -> JsonResponse:
    document = issuer_document(
        site_url=default_site_url(), name=_issuer_name(get_language() or settings.LANGUAGE_CODE), jwk=public_jwk()
    )
    return _public_json(document)


@require_safe
def issuer_jwks(request: HttpRequest) -> JsonResponse:
    return _public_json({"keys": [public_jwk(key) for key in verification_keys().values()]})


def _issuer_name(language: str) -> str:
    """The school's name as transcripts print it (the snapshot reads the same branding row)."""
    branding = BrandingSettings.objects.order_by("pk").first()
    name = branding.localised_school_name(language) if branding else ""
    return name or settings.WAGTAIL_SITE_NAME


def _public_json(document: dict) -> JsonResponse:
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["Access-Control-Allow-Origin"] = "*"
    return response
