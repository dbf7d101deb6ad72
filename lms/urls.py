from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms import views

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("logout/", LogoutView.as_view(next_page="/"), name="logout"),
    path("me/competencies/", views.my_attainment, name="my_attainment"),
    path("compete/", include("competitions.urls.participation")),
    path("judging/", include("competitions.urls.judging")),
    path("portfolio/", include("portfolios.urls")),
    # /transcripts/… and /.well-known/jwks.json: the paths are fixed by the credentials already issued.
    path("", include("portfolios.transcripts.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler500 = "lms.views.server_error"
