from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from courses import views
from courses.viewsets import CurriculumViewSetGroup

register_snippet(CurriculumViewSetGroup)


@hooks.register("register_admin_urls")
def register_course_admin_urls():
    return [
        path("imports/roster/", views.RosterImportView.as_view(), name="courses_import_roster"),
        path("imports/results/", views.ResultImportView.as_view(), name="courses_import_results"),
        path("evidence/", views.EvidenceLedgerView.as_view(), name="courses_evidence_ledger"),
        path(
            "evidence/results/",
            views.EvidenceLedgerView.as_view(results_only=True),
            name="courses_evidence_ledger_results",
        ),
    ]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_roster_import_menu_item():
    return PermissionMenuItem(
        _("Import roster"),
        reverse("courses_import_roster"),
        icon_name="group",
        order=210,
        permission="courses.add_enrolment",
    )


@hooks.register("register_admin_menu_item")
def register_result_import_menu_item():
    return PermissionMenuItem(
        _("Import results"),
        reverse("courses_import_results"),
        icon_name="upload",
        order=211,
        permission="courses.add_assessmentresult",
    )


@hooks.register("register_reports_menu_item")
def register_evidence_ledger_report():
    return PermissionMenuItem(
        _("Evidence ledger"),
        reverse("courses_evidence_ledger"),
        icon_name="list-ul",
        order=100,
        permission="courses.view_evidencerecord",
    )
