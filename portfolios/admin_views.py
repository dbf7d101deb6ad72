"""Wagtail admin views for reviewers (teachers, enterprise mentors, administrators): the review queue, one
artefact's review page and the batch sign-off.

Every artefact is fetched through ``permissions.access_artefact_for_review`` (404 for "not yours"); every
sign-off goes through ``services.sign_off``, one artefact at a time.
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BaseColumn, Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from courses.models import Cohort, CoursePage, ProficiencyLevel
from courses.views import TitledAdminMixin
from portfolios import permissions, selectors, services
from portfolios.admin_forms import BulkSignOffForm, ReviewForm
from portfolios.models import Artefact, ArtefactKind, ArtefactStatus, ArtefactVersion
from themes.templatetags.themes_tags import person_name

HEADER_ICON = "tick-inverse"


def version_file_url(version: ArtefactVersion) -> str:
    """The front-end view that serves a version's file (it checks the viewer's rights itself)."""
    return reverse("portfolios:version_file", args=[version.pk])


# --- The queue ---------------------------------------------------------------------------------------------


# django-filter calls a filter's queryset with the request; these pass the reviewer on to the selectors.


def queue_courses(request) -> QuerySet[CoursePage]:
    return selectors.review_filter_courses(reviewer=request.user)


def queue_cohorts(request) -> QuerySet[Cohort]:
    return selectors.review_filter_cohorts(reviewer=request.user)


class ReviewQueueFilterSet(WagtailFilterSet):
    """The filter form only; ``selectors.review_queue`` does the filtering (see the view)."""

    course = django_filters.ModelChoiceFilter(label=gettext_lazy("Course"), queryset=queue_courses)
    cohort = django_filters.ModelChoiceFilter(label=gettext_lazy("Class"), queryset=queue_cohorts)
    kind = django_filters.ChoiceFilter(label=gettext_lazy("Kind"), choices=ArtefactKind.choices)
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=ArtefactStatus.choices)

    class Meta:
        model = Artefact
        fields: list[str] = []


class SelectForSignOffColumn(BaseColumn):
    """A tick box for the batch sign-off form, on rows waiting for review only."""

    cell_template_name = "portfolios/admin/includes/select_cell.html"


def _student_label(artefact: Artefact) -> str:
    student = artefact.portfolio.student
    return f"{person_name(student)} ({student.get_username()})"


def _course_title(artefact: Artefact) -> str:
    course = artefact.current_version.course
    return course.title if course else ""


def _latest_verdict(artefact: Artefact) -> str:
    if not artefact.reviews_newest_first:
        return ""
    review = artefact.reviews_newest_first[0]
    return f"{review.get_verdict_display()} · {review.level.name}"


class ReviewQueueView(ReportView):
    """The artefacts the reviewer may review, waiting ones first, with the status counts and a batch form."""

    page_title = gettext_lazy("Reviews")
    header_icon = HEADER_ICON
    template_name = "portfolios/admin/review_queue.html"
    index_url_name = "portfolios_admin_reviews"
    index_results_url_name = "portfolios_admin_reviews_results"
    filterset_class = ReviewQueueFilterSet
    paginate_by = 30
    verbose_name_plural = gettext_lazy("artefacts")
    columns = [
        SelectForSignOffColumn("select", label=gettext_lazy("Select")),
        Column("student", label=gettext_lazy("Student"), accessor=_student_label),
        TitleColumn(
            "title",
            label=gettext_lazy("Title"),
            accessor="current_version.title",
            url_name="portfolios_admin_review",
            get_title_id=lambda artefact: f"artefact_{artefact.pk}_title",
        ),
        Column("kind", label=gettext_lazy("Kind"), accessor="get_kind_display"),
        Column("course", label=gettext_lazy("Course"), accessor=_course_title),
        DateColumn(
            "submitted", label=gettext_lazy("Sent for review"), accessor="current_version.submitted_for_review_at"
        ),
        StatusTagColumn(
            "status",
            label=gettext_lazy("Status"),
            accessor="get_status_display",
            primary=lambda artefact: artefact.status == ArtefactStatus.IN_REVIEW,
        ),
        Column("verdict", label=gettext_lazy("Latest verdict"), accessor=_latest_verdict),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not selectors.is_reviewer(user=request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Artefact]:
        self.filters.is_valid()  # an invalid choice (another reviewer's course, say) is dropped, not applied
        chosen = self.filters.form.cleaned_data
        course, cohort = chosen.get("course"), chosen.get("cohort")
        return selectors.review_queue(
            reviewer=self.request.user,
            course_id=course.pk if course else None,
            cohort_id=cohort.pk if cohort else None,
            kind=chosen.get("kind") or "",
            status=chosen.get("status") or "",
        )

    def filter_queryset(self, queryset):
        return queryset  # already filtered by the selector in get_queryset

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        if self.results_only:
            return context
        counts = selectors.review_counts(reviewer=self.request.user)
        context["counts"] = [
            (status, ArtefactStatus(status).label, counts[status])
            for status in (ArtefactStatus.IN_REVIEW, ArtefactStatus.SIGNED_OFF, ArtefactStatus.DRAFT)
        ]
        if counts[ArtefactStatus.IN_REVIEW]:
            choices = selectors.batch_sign_off_levels(reviewer=self.request.user)
            context["bulk_form"] = BulkSignOffForm(
                levels=choices.levels,
                show_scale=choices.several_scales,
                initial={"next": self.request.get_full_path()},
            )
        return context


# --- One artefact ------------------------------------------------------------------------------------------


class ReviewView(TitledAdminMixin, View):
    """The current version with its claims and file, the earlier versions and their reviews, and the sign-off
    form while the artefact waits for review."""

    page_title = gettext_lazy("Review")
    header_icon = HEADER_ICON
    template_name = "portfolios/admin/review.html"

    def get(self, request, artefact_pk: int):
        artefact = permissions.access_artefact_for_review(request.user, artefact_pk)
        return self.render(artefact=artefact, form=self.form(artefact))

    def post(self, request, artefact_pk: int):
        artefact = permissions.access_artefact_for_review(request.user, artefact_pk)
        form = self.form(artefact, data=request.POST)
        if form.is_valid():
            try:
                services.sign_off(
                    artefact=artefact,
                    reviewer=request.user,
                    verdict=form.cleaned_data["verdict"],
                    level=form.cleaned_data["level"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("“%(title)s” is signed off.") % {"title": artefact})
                return redirect("portfolios_admin_reviews")
        return self.render(artefact=artefact, form=form)

    def form(self, artefact: Artefact, data=None) -> ReviewForm:
        levels = selectors.sign_off_levels(student=artefact.portfolio.student)
        return ReviewForm(data, levels=levels, current_version_id=artefact.current_version_id)

    def get_page_subtitle(self) -> str:
        return str(self.artefact)

    def get_breadcrumbs_items(self):
        queue = {"url": reverse("portfolios_admin_reviews"), "label": _("Reviews")}
        return [*self.breadcrumbs_items, queue, {"url": "", "label": str(self.artefact)}]

    def render(self, *, artefact: Artefact, form: ReviewForm) -> TemplateResponse:
        self.artefact = artefact
        history = selectors.artefact_history(artefact=artefact)
        current = next(version for version in history if version.pk == artefact.current_version_id)
        for version in history:
            version.file_url = version_file_url(version) if version.file else ""
        context = self.get_context_data(
            artefact=artefact,
            student=artefact.portfolio.student,
            current=current,
            earlier=[version for version in history if version.pk != current.pk],
            form=form,
            may_sign_off=artefact.status == ArtefactStatus.IN_REVIEW and artefact.withdrawn_at is None,
            portfolio_url=artefact.portfolio.get_url(request=self.request) or "",
        )
        return TemplateResponse(self.request, self.template_name, context)


# --- Several artefacts at once -----------------------------------------------------------------------------


class BulkSignOffView(View):
    """Sign off the ticked artefacts with one verdict, level and comment, each through ``services.sign_off``.

    Each sign-off is its own transaction: the ones that pass are kept, and every refusal is reported with
    its reason. Ids the reviewer may not review are refused without saying what they are.
    """

    http_method_names = ["post"]

    def post(self, request):
        if not selectors.is_reviewer(user=request.user):
            raise PermissionDenied
        form = BulkSignOffForm(request.POST, levels=ProficiencyLevel.objects.select_related("scale"))
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect(self.next_url(request, form))
        done = 0
        for pk in form.cleaned_data["artefacts"]:
            try:
                artefact = permissions.access_artefact_for_review(request.user, pk)
            except Http404:
                artefact = None
            if artefact is None or artefact.withdrawn_at is not None:  # the queue leaves withdrawn ones out
                messages.error(request, _("Artefact #%(pk)s is not in your review queue.") % {"pk": pk})
                continue
            try:
                services.sign_off(
                    artefact=artefact,
                    reviewer=request.user,
                    verdict=form.cleaned_data["verdict"],
                    level=form.cleaned_data["level"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                messages.error(
                    request,
                    _("“%(title)s” was not signed off: %(reason)s")
                    % {"title": artefact, "reason": " ".join(error.messages)},
                )
            else:
                done += 1
        if done:
            messages.success(
                request, ngettext("%(n)s artefact signed off.", "%(n)s artefacts signed off.", done) % {"n": done}
            )
        return redirect(self.next_url(request, form))

    @staticmethod
    def next_url(request, form: BulkSignOffForm) -> str:
        wanted = form.data.get("next", "")
        queue = reverse("portfolios_admin_reviews")
        if wanted.startswith(queue) and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
            return wanted
        return queue


def admin_urls():
    return [
        path("portfolios/reviews/", ReviewQueueView.as_view(), name="portfolios_admin_reviews"),
        path(
            "portfolios/reviews/results/",
            ReviewQueueView.as_view(results_only=True),
            name="portfolios_admin_reviews_results",
        ),
        path("portfolios/reviews/sign-off/", BulkSignOffView.as_view(), name="portfolios_admin_bulk_sign_off"),
        path("portfolios/reviews/<int:artefact_pk>/", ReviewView.as_view(), name="portfolios_admin_review"),
    ]
