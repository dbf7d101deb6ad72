"""Students' front-end forms for their portfolio: the shape of input only; the rules live in the services.

One artefact form serves every kind: it keeps the fields the kind uses (see :data:`KIND_FIELDS`) and drops the
rest, so the service's error dictionary (keyed like :class:`~portfolios.services.ArtefactInput`) maps straight
back onto the form's fields.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from courses.hooks import student_works
from courses.models import CoursePage
from courses.roles import MENTORS
from courses.uploads import DEFAULT_MAX_BYTES, EXTENSIONS
from portfolios.models import ArtefactKind, ArtefactVersion, Visibility
from portfolios.selectors import claimable_competencies, claimable_outcomes
from portfolios.services import ARTEFACT_FILE_KINDS, REQUIRED_FIELDS, ArtefactInput
from themes.templatetags.themes_tags import person_name

#: The fields every kind of artefact has.
COMMON_FIELDS = ("title", "done_on", "body", "file", "outcomes", "competencies", "visibility")

#: The fields only some kinds use.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    ArtefactKind.COMPETITION_ENTRY: ("linked_work_key",),
    ArtefactKind.COURSE_WORK: ("course",),
    ArtefactKind.INTERNSHIP: ("enterprise", "mentor"),
    ArtefactKind.CERTIFICATE: ("issuer", "certificate_number"),
    ArtefactKind.PRACTICE: ("platform", "hours"),
    ArtefactKind.REFLECTION: (),
}

#: Fields copied from the current version when the student edits an artefact.
VERSION_FIELDS = (
    "title",
    "done_on",
    "body",
    "course",
    "enterprise",
    "mentor",
    "issuer",
    "certificate_number",
    "platform",
    "hours",
    "linked_work_key",
)


def _mentors() -> QuerySet:
    return (
        get_user_model()
        .objects.filter(groups__name=MENTORS, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return person_name(obj)


class CourseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj.title}"


class OutcomeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.course.code} {obj.code} · {Truncator(obj.description).chars(90)}"


class CompetencyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} · {obj.name}"


class ArtefactForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=ArtefactVersion._meta.get_field("title").max_length)
    linked_work_key = forms.ChoiceField(
        label=_("Competition entry"),
        help_text=_("One of your teams' submissions. Its advisor and mentor can verify this artefact."),
    )
    course = CourseChoiceField(
        label=_("Course"),
        queryset=CoursePage.objects.none(),
        empty_label=_("Choose a course"),
        help_text=_("The course this work was done for; its teachers can verify it."),
    )
    enterprise = forms.CharField(label=_("Enterprise"), max_length=160)
    mentor = PersonChoiceField(
        label=_("Enterprise mentor"),
        queryset=get_user_model().objects.none(),
        empty_label=_("Choose your mentor"),
        help_text=_("The mentor who supervised you; they can verify this artefact."),
    )
    issuer = forms.CharField(label=_("Issuer"), max_length=160, help_text=_("e.g. 1+X Cross-border E-commerce"))
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=80)
    platform = forms.CharField(label=_("Platform"), max_length=120, help_text=_("e.g. TikTok Shop, Amazon"))
    hours = forms.DecimalField(label=_("Hours"), max_digits=6, decimal_places=1, min_value=0)
    done_on = forms.DateField(
        label=_("Done on"),
        help_text=_("When the work was done (for a certificate, when it was awarded)."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    body = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "What you did and what you learnt. You may use simple HTML (paragraphs, lists, links); "
            "anything else is removed."
        ),
    )
    file = forms.FileField(label=_("File"), required=False)
    outcomes = OutcomeChoiceField(
        label=_("Course outcomes this shows"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    competencies = CompetencyChoiceField(
        label=_("Competencies this shows"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Claim at least one outcome or competency before you ask for a review."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        widget=forms.RadioSelect,
        help_text=_("Reviewers see an artefact only if you let your teachers and mentors see it."),
    )

    def __init__(self, *args, kind: str, student: AbstractBaseUser, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        used = set(COMMON_FIELDS) | set(KIND_FIELDS[kind])
        for name in [name for name in self.fields if name not in used]:
            del self.fields[name]
        for name in KIND_FIELDS[kind]:
            self.fields[name].required = name in REQUIRED_FIELDS[kind]
        if "linked_work_key" in self.fields:
            works = student_works(student=student)
            self.fields["linked_work_key"].choices = [("", _("Choose one of your entries"))] + [
                (work.key, work.title) for work in works
            ]
        if "course" in self.fields:
            self.fields["course"].queryset = CoursePage.objects.live().order_by("title")
        if "mentor" in self.fields:
            self.fields["mentor"].queryset = _mentors()
        self.fields["outcomes"].queryset = claimable_outcomes(student=student)
        self.fields["competencies"].queryset = claimable_competencies(student=student)
        self._describe_file(editing=editing)

    def _describe_file(self, *, editing: bool) -> None:
        field = self.fields["file"]
        if self.kind == ArtefactKind.CERTIFICATE:
            field.label = _("Scan of the certificate")
        limit = getattr(settings, "KESAI_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)
        field.widget.attrs["accept"] = ",".join(
            f".{extension}" for kind in sorted(ARTEFACT_FILE_KINDS) for extension in EXTENSIONS[kind]
        )
        help_text = _("PDF, Office document, image, ZIP or plain text; at most %(limit)s.") % {
            "limit": filesizeformat(limit)
        }
        if editing:
            help_text = _("%(rules)s Leave empty to keep the current file.") % {"rules": help_text}
        field.help_text = help_text

    def artefact_input(self) -> ArtefactInput:
        data = self.cleaned_data
        return ArtefactInput(
            title=data["title"],
            done_on=data["done_on"],
            body=data.get("body", ""),
            course=data.get("course"),
            enterprise=data.get("enterprise", ""),
            mentor=data.get("mentor"),
            issuer=data.get("issuer", ""),
            certificate_number=data.get("certificate_number", ""),
            platform=data.get("platform", ""),
            hours=data.get("hours"),
            linked_work_key=data.get("linked_work_key", ""),
            outcomes=list(data["outcomes"]),
            competencies=list(data["competencies"]),
        )


def artefact_initial(version: ArtefactVersion, *, visibility: str) -> dict:
    """The form's initial values from an artefact's current version, for editing."""
    initial = {name: getattr(version, name) for name in VERSION_FIELDS}
    initial["outcomes"] = list(version.claimed_outcomes.values_list("pk", flat=True))
    initial["competencies"] = list(version.claimed_competencies.values_list("pk", flat=True))
    initial["visibility"] = visibility
    return initial


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form: keyed messages on their fields when the form has them,
    everything else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


class VisibilityForm(forms.Form):
    visibility = forms.ChoiceField(label=_("Who can see it"), choices=Visibility.choices)


class IntroductionForm(forms.Form):
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Who you are and what you are looking for. You may use simple HTML (paragraphs, lists, links); "
            "anything else is removed."
        ),
    )
    overview_visibility = forms.ChoiceField(
        label=_("Who sees my competency overview"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
    )


class ShareForm(forms.Form):
    employer = forms.CharField(
        label=_("Employer’s username or e-mail"),
        max_length=254,
        help_text=_("The employer needs an employer account on this site."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_employer(self) -> AbstractBaseUser:
        wanted = self.cleaned_data["employer"].strip()
        user_model = get_user_model()
        people = user_model.objects.filter(is_active=True)
        by_username = people.filter(**{f"{user_model.USERNAME_FIELD}__iexact": wanted}).first()
        if by_username is not None:
            return by_username
        matches = list(people.filter(email__iexact=wanted)[:2]) if "@" in wanted else []
        if not matches:
            raise ValidationError(_("Nobody on this site has that username or e-mail."), code="not_found")
        if len(matches) > 1:
            raise ValidationError(_("Several accounts match; enter the employer’s username."), code="ambiguous")
        return matches[0]
