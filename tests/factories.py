"""factory_boy factories shared by every app's tests."""

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Page

from courses.models import (
    CalculationMethod,
    Cohort,
    Competency,
    CompetencyFramework,
    CourseAssessment,
    CourseIndexPage,
    CourseOutcome,
    CoursePage,
    Enrolment,
    OutcomeAlignment,
    ProficiencyLevel,
    ProficiencyScale,
    Programme,
    Track,
)
from lms.models import HomePage

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n:04d}")
    first_name = "小明"
    last_name = "王"
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.edu")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))
        if create:
            self.save()


class ScaleFactory(factory.django.DjangoModelFactory):
    """A four-level scale: 1, 2, 3 (mastery), 4."""

    class Meta:
        model = ProficiencyScale
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Scale {n}")

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        if not create:
            return
        spec = extracted or [
            ("Beginning", 1, False),
            ("Developing", 2, False),
            ("Proficient", 3, True),
            ("Exemplary", 4, False),
        ]
        for order, (name, points, mastery) in enumerate(spec):
            ProficiencyLevel.objects.create(
                scale=self, name=name, points=Decimal(points), is_mastery=mastery, sort_order=order
            )


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencyFramework

    name = factory.Sequence(lambda n: f"Framework {n}")
    scale = factory.SubFactory(ScaleFactory)
    calculation_method = CalculationMethod.MEAN


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"C{n:03d}")
    name = factory.Sequence(lambda n: f"Competency {n}")
    demand_weight = 50


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    code = factory.Sequence(lambda n: f"P{n}")
    framework = factory.SubFactory(FrameworkFactory)


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Track {n}")


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Class {n}")
    entry_year = 2024


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)
    student = factory.SubFactory(UserFactory)
    student_number = factory.Sequence(lambda n: f"2024{n:06d}")
    enrolled_on = date(2024, 9, 1)


def site_home() -> HomePage:
    """The site's HomePage, created once under the tree root and made the default site's root."""
    from wagtail.models import Site

    existing = HomePage.objects.first()
    if existing:
        return existing
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Kesai", slug="kesai-home"))
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    return home


def course_index(*, programme: Programme | None = None, title: str = "Courses") -> CourseIndexPage:
    home = site_home()
    return home.add_child(instance=CourseIndexPage(title=title, slug=title.lower(), programme=programme))


def course_page(
    *, index: CourseIndexPage, code: str, title: str | None = None, track: Track | None = None
) -> CoursePage:
    page = CoursePage(
        title=title or f"Course {code}",
        slug=code.lower(),
        code=code,
        credits=Decimal("2.0"),
        term="2026 autumn",
        track=track,
    )
    index.add_child(instance=page)
    return page


def outcome(*, course: CoursePage, code: str, aligned: list[tuple[Competency, str]]) -> CourseOutcome:
    """An outcome aligned to competencies with the given weights (as strings, e.g. '0.5')."""
    result = CourseOutcome.objects.create(course=course, code=code, description=f"Outcome {code}")
    for competency, weight in aligned:
        OutcomeAlignment.objects.create(outcome=result, competency=competency, weight=Decimal(weight))
    return result


def assessment(
    *, course: CoursePage, title: str, outcomes: list[CourseOutcome], held_on: date, max_score: str = "100"
) -> CourseAssessment:
    made = CourseAssessment.objects.create(course=course, title=title, held_on=held_on, max_score=Decimal(max_score))
    made.outcomes.set(outcomes)
    made.save()
    return made
