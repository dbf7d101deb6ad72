"""Admin views for teachers: roster and result imports with a preview, and the evidence ledger report."""

import uuid
from datetime import date
from pathlib import PurePath

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView

from courses.forms import ConfirmImportForm, ResultImportForm, RosterImportForm
from courses.imports import (
    ACTION_LABELS,
    RESULT_COLUMNS,
    ROSTER_COLUMNS,
    ImportFileError,
    chinese_headers,
    import_results,
    import_roster,
    read_table,
)
from courses.models import CoursePage, EvidenceRecord, EvidenceSourceKind
from courses.permissions import access_cohort, evidence_visible_to

SESSION_KEY = "kesai_pending_imports"


class TitledAdminMixin(WagtailAdminTemplateMixin):
    """Admin views whose breadcrumbs end with their own title (Wagtail's slim header shows the last crumb)."""

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class BaseImportView(TitledAdminMixin, View):
    """Upload → dry-run preview → confirm. The uploaded file waits in storage under a random name."""

    template_name = "courses/admin/import.html"
    form_class = RosterImportForm
    required_columns: tuple[str, ...] = ()
    permission_required = ""
    header_icon = "upload"
    url_name = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(form=self.form_class(user=request.user))

    def post(self, request):
        if "token" in request.POST:
            return self.confirm(request)
        form = self.form_class(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render(form=form)
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            rows = read_table(name=upload.name, content=content, required=self.required_columns)
        except ImportFileError as error:
            form.add_error("file", error)
            return self.render(form=form)
        token = str(uuid.uuid4())
        suffix = PurePath(upload.name).suffix.lower()
        path = default_storage.save(f"imports/{token}{suffix}", ContentFile(content))
        pending = request.session.get(SESSION_KEY, {})
        pending[token] = {"path": path, "name": upload.name, "params": self.params_for_session(form.cleaned_data)}
        request.session[SESSION_KEY] = pending
        report = self.run(request, rows=rows, params=pending[token]["params"], dry_run=True)
        return self.render(form=form, report=report, confirm_form=ConfirmImportForm(initial={"token": token}))

    def confirm(self, request):
        form = ConfirmImportForm(request.POST)
        pending = request.session.get(SESSION_KEY, {})
        if not form.is_valid() or str(form.cleaned_data["token"]) not in pending:
            messages.error(request, _("This import has expired; upload the file again."))
            return redirect(self.url_name)
        token = str(form.cleaned_data["token"])
        entry = pending.pop(token)
        request.session[SESSION_KEY] = pending
        with default_storage.open(entry["path"], "rb") as stored:
            content = stored.read()
        default_storage.delete(entry["path"])
        rows = read_table(name=entry["name"], content=content, required=self.required_columns)
        report = self.run(request, rows=rows, params=entry["params"], dry_run=False)
        if report.applied:
            messages.success(
                request,
                _("Imported %(new)s new and %(updated)s corrected rows; %(same)s were unchanged.")
                % {"new": report.count("create"), "updated": report.count("update"), "same": report.count("unchanged")},
            )
            return redirect(self.url_name)
        return self.render(form=self.form_class(user=request.user), report=report)

    def render(self, **context):
        context.update(
            self.get_context_data(),
            action_labels=ACTION_LABELS,
            columns=self.required_columns,
            chinese_columns=chinese_headers(self.required_columns),
            action_url=reverse(self.url_name),
        )
        return TemplateResponse(self.request, self.template_name, context)


class RosterImportView(BaseImportView):
    page_title = gettext_lazy("Import a class roster")
    form_class = RosterImportForm
    required_columns = ROSTER_COLUMNS
    permission_required = "courses.add_enrolment"
    url_name = "courses_import_roster"

    def params_for_session(self, data) -> dict:
        return {"cohort": data["cohort"].pk, "enrolled_on": data["enrolled_on"].isoformat()}

    def run(self, request, *, rows, params, dry_run):
        return import_roster(
            cohort=access_cohort(request.user, params["cohort"]),
            rows=rows,
            enrolled_on=date.fromisoformat(params["enrolled_on"]),
            dry_run=dry_run,
            imported_by=request.user,
        )


class ResultImportView(BaseImportView):
    page_title = gettext_lazy("Import assessment results")
    form_class = ResultImportForm
    required_columns = RESULT_COLUMNS
    permission_required = "courses.add_assessmentresult"
    url_name = "courses_import_results"

    def params_for_session(self, data) -> dict:
        return {"cohort": data["cohort"].pk, "course": data["course"].pk}

    def run(self, request, *, rows, params, dry_run):
        return import_results(
            cohort=access_cohort(request.user, params["cohort"]),
            course=CoursePage.objects.get(pk=params["course"]),
            rows=rows,
            recorded_by=request.user,
            dry_run=dry_run,
        )


class EvidenceFilterSet(WagtailFilterSet):
    source_kind = django_filters.ChoiceFilter(label=gettext_lazy("Source"), choices=EvidenceSourceKind.choices)
    student = django_filters.CharFilter(label=gettext_lazy("Student number or name"), method="filter_student")

    class Meta:
        model = EvidenceRecord
        fields = ["source_kind"]

    def filter_student(self, queryset, name, value):
        return queryset.filter(
            Q(student__username__icontains=value)
            | Q(student__last_name__icontains=value)
            | Q(student__first_name__icontains=value)
        )


class EvidenceLedgerView(ReportView):
    """The active ledger rows a teacher may see, with CSV/XLSX export."""

    page_title = gettext_lazy("Evidence ledger")
    header_icon = "list-ul"
    index_url_name = "courses_evidence_ledger"
    index_results_url_name = "courses_evidence_ledger_results"
    filterset_class = EvidenceFilterSet
    export_filename = "evidence-ledger"
    columns = [
        Column("student_label", label=gettext_lazy("Student"), accessor="student_label"),
        Column("target_label", label=gettext_lazy("Outcome or competency"), accessor="target_label"),
        Column("score", label=gettext_lazy("Score")),
        Column("level", label=gettext_lazy("Level")),
        DateColumn("done_on", label=gettext_lazy("Done on")),
        Column("source_kind", label=gettext_lazy("Source"), accessor="get_source_kind_display"),
        Column("source_title", label=gettext_lazy("Source title")),
        Column("recorded_by", label=gettext_lazy("Recorded by")),
    ]
    list_export = [
        "student.username",
        "student_label",
        "target_label",
        "score",
        "done_on",
        "source_kind",
        "source_title",
        "recorded_by.username",
        "recorded_at",
    ]
    export_headings = {
        "student.username": gettext_lazy("Student number"),
        "student_label": gettext_lazy("Student"),
        "target_label": gettext_lazy("Outcome or competency"),
        "recorded_by.username": gettext_lazy("Recorded by"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("courses.view_evidencerecord"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return (
            evidence_visible_to(self.request.user)
            .active()
            .select_related("student", "outcome__course", "competency", "level", "recorded_by")
            .order_by("-done_on", "-id")
        )

    def decorate_paginated_queryset(self, object_list):
        for record in object_list:
            record.student_label = f"{record.student.username} {record.student.last_name}{record.student.first_name}"
            record.target_label = str(record.outcome or record.competency)
        return object_list
