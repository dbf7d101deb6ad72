"""Students' portfolio pages, mounted at /portfolio/ (the portfolio page itself is served by Wagtail)."""

from django.urls import path

from portfolios import views

app_name = "portfolios"
urlpatterns = [
    path("", views.my_portfolio, name="mine"),
    path("artefacts/new/<str:kind>/", views.create_artefact, name="create_artefact"),
    path("artefacts/<int:pk>/", views.artefact_detail, name="artefact_detail"),
    path("artefacts/<int:pk>/edit/", views.edit_artefact, name="edit_artefact"),
    path("artefacts/<int:pk>/request-review/", views.request_review, name="request_review"),
    path("artefacts/<int:pk>/cancel-review/", views.cancel_review, name="cancel_review"),
    path("artefacts/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("artefacts/<int:pk>/move-up/", views.move, {"offset": -1}, name="move_up"),
    path("artefacts/<int:pk>/move-down/", views.move, {"offset": 1}, name="move_down"),
    path("artefacts/<int:pk>/visibility/", views.set_visibility, name="set_visibility"),
    path("files/<int:version_pk>/", views.version_file, name="version_file"),
    path("introduction/", views.edit_introduction, name="introduction"),
    path("sharing/", views.sharing, name="sharing"),
    path("sharing/<int:pk>/revoke/", views.revoke_share, name="revoke_share"),
    path("shared-with-me/", views.shared_with_me, name="shared_with_me"),
]
