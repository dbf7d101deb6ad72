"""Judges' front end, mounted at /judging/."""

from django.urls import path

from competitions.views import judging

app_name = "judging"
urlpatterns = [
    path("", judging.queue, name="queue"),
    path("assignments/<int:pk>/", judging.score, name="score"),
    path("assignments/<int:pk>/recuse/", judging.recuse_view, name="recuse"),
]
