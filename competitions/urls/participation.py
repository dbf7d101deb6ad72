"""Students' team and submission pages, mounted at /compete/."""

from django.urls import path

from competitions.views import participation as views

app_name = "participation"
urlpatterns = [
    path("", views.my_teams, name="my_teams"),
    path("join/", views.join_team_view, name="join_team"),
    path("<int:competition_id>/teams/new/", views.create_team_view, name="create_team"),
    path("teams/<int:team_id>/", views.team_view, name="team"),
    path("teams/<int:team_id>/leave/", views.leave_team_view, name="leave_team"),
    path("teams/<int:team_id>/invite-code/", views.regenerate_invite_code_view, name="regenerate_invite_code"),
    path("teams/<int:team_id>/supervisors/", views.supervisors_view, name="supervisors"),
    path("teams/<int:team_id>/tasks/<int:task_id>/submit/", views.submit_view, name="submit"),
    path("submissions/<int:submission_id>/", views.submission_view, name="submission"),
    path("submissions/<int:submission_id>/file/", views.submission_file, name="submission_file"),
]
