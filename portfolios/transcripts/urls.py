"""Transcript pages, mounted at the site's root (``path("", include(...))`` in lms/urls.py).

The paths carry their own ``transcripts/`` prefix because two of them cannot move: every issued credential
names the issuer at ``credential.ISSUER_PATH`` (/transcripts/issuer/), its key set at ``credential.JWKS_PATH``
(/.well-known/jwks.json) and each competency at /transcripts/competencies/<framework id>/<code>/.
"""

from django.urls import path

from portfolios.transcripts import public_views, views

app_name = "transcripts"
urlpatterns = [
    path(".well-known/jwks.json", public_views.issuer_jwks, name="jwks"),
    path("transcripts/", views.my_transcripts, name="mine"),
    path("transcripts/issue/", views.issue, name="issue"),
    path("transcripts/<int:pk>/", views.transcript_detail, name="detail"),
    path("transcripts/<int:pk>/status/", views.transcript_status, name="status"),
    path("transcripts/<int:pk>/pdf/", views.transcript_pdf, name="pdf"),
    path("transcripts/<int:pk>/credential.json", views.transcript_credential, name="credential"),
    path("transcripts/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("transcripts/<int:pk>/grants/", views.grant, name="grant"),
    path("transcripts/<int:pk>/links/", views.create_link, name="create_link"),
    path("transcripts/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("transcripts/grants/<int:pk>/revoke/", views.revoke_grant, name="revoke_grant"),
    path("transcripts/links/<int:pk>/revoke/", views.revoke_link, name="revoke_link"),
    path("transcripts/s/<str:token>/", views.shared_transcript, name="shared"),
    path("transcripts/s/<str:token>/pdf/", views.shared_pdf, name="shared_pdf"),
    path("transcripts/s/<str:token>/credential.json", views.shared_credential, name="shared_credential"),
    path("transcripts/verify/", views.verify, name="verify"),
    path("transcripts/verify/<str:code>/", views.verify_code, name="verify_code"),
    path("transcripts/issuer/", public_views.issuer_profile, name="issuer"),
    path("transcripts/competencies/<int:framework_id>/<path:code>/", views.competency, name="competency"),
]
