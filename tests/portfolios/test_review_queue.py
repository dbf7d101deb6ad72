"""The reviewers' admin: the review queue, one artefact's review page and the batch sign-off.

Who reviews what in the ``school`` fixture: course work for EC101 → ``course_teacher``; an internship →
the ``mentor`` it names; certificates and reflections (no course, no mentor) → ``class_teacher`` of Class A.
"""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseTeacher, EvidenceRecord
from portfolios import services
from portfolios.models import Artefact, ArtefactKind, ArtefactReview, ArtefactStatus, ReviewVerdict, Visibility
from portfolios.services import ArtefactInput
from tests.factories import CohortFactory, EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = "portfolios_admin_reviews"


def send_for_review(artefact):
    student = artefact.portfolio.student
    services.set_visibility(artefact=artefact, student=student, visibility=Visibility.REVIEWERS)
    return services.request_review(artefact=artefact, student=student)


@pytest.fixture
def waiting(make_artefact):
    """``waiting(kind=..., title=..., **fields)``: an artefact made and sent for review."""

    def make(**fields):
        return send_for_review(make_artefact(**fields))

    return make


@pytest.fixture
def levels(school):
    one, two, three, four = school.framework.scale.levels_by_points  # 3 marks mastery
    return {"1": one, "2": two, "3": three, "4": four}


def queue_titles(client, user, **filters) -> set[str]:
    client.force_login(user)
    response = client.get(reverse(QUEUE), filters)
    assert response.status_code == 200
    return {artefact.current_version.title for artefact in response.context["object_list"]}


def review_url(artefact) -> str:
    return reverse("portfolios_admin_review", args=[artefact.pk])


def sign_off_data(artefact, level, verdict=ReviewVerdict.MEETS, comment="Clear, well evidenced.") -> dict:
    return {"verdict": verdict, "level": level.pk, "comment": comment, "version": artefact.current_version_id}


# --- Who sees what in the queue ----------------------------------------------------------------------------


@pytest.fixture
def mixed_queue(school, waiting):
    return {
        "course work": waiting(kind=ArtefactKind.COURSE_WORK, title="Listing audit", outcomes=[school.lo1]),
        "internship": waiting(kind=ArtefactKind.INTERNSHIP, title="Amazon internship"),
        "reflection": waiting(kind=ArtefactKind.REFLECTION, title="What I learnt"),
    }


def test_course_teacher_sees_only_course_work_sent_for_review(client, school, mixed_queue):
    assert queue_titles(client, school.course_teacher) == {"Listing audit"}


def test_teacher_of_another_course_sees_nothing(client, school, mixed_queue):
    assert queue_titles(client, school.other_course_teacher) == set()


def test_mentor_sees_the_internship_naming_them(client, school, mixed_queue):
    assert queue_titles(client, school.mentor) == {"Amazon internship"}


def test_administrator_sees_every_artefact_sent_for_review(client, school, mixed_queue):
    assert queue_titles(client, school.admin) == {"Listing audit", "Amazon internship", "What I learnt"}


def test_queue_leaves_out_drafts_never_sent(client, school, make_artefact, mixed_queue):
    make_artefact(kind=ArtefactKind.COURSE_WORK, title="Unsent draft")
    assert "Unsent draft" not in queue_titles(client, school.admin)


@pytest.mark.parametrize("person", ["student", "employer"])
def test_students_and_employers_are_sent_to_the_admin_login(client, school, mixed_queue, person):
    client.force_login(getattr(school, person))
    response = client.get(reverse(QUEUE))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_anonymous_visitors_are_sent_to_the_admin_login(client, mixed_queue):
    response = client.get(reverse(QUEUE))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_judge_who_is_no_reviewer_is_sent_back_to_the_dashboard(client, mixed_queue):
    client.force_login(UserFactory(roles=["Judges"]))
    response = client.get(reverse(QUEUE))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_reviews_menu_item_is_shown_to_teachers(client, school):
    client.force_login(school.class_teacher)
    assert reverse(QUEUE) in client.get(reverse("wagtailadmin_home")).content.decode()


def test_reviews_menu_item_is_hidden_from_judges(client):
    client.force_login(UserFactory(roles=["Judges"]))
    assert reverse(QUEUE) not in client.get(reverse("wagtailadmin_home")).content.decode()


# --- Filters and counts ------------------------------------------------------------------------------------


@pytest.fixture
def filterable(school, waiting, make_artefact, levels):
    """For the administrator: two courses, two classes, two kinds and all three statuses."""
    CourseTeacher.objects.create(course=school.other_course, user=school.course_teacher)
    outsider = UserFactory(username="2024000099", roles=["Students"])
    other_cohort = CohortFactory(programme=school.programme, name="Class B")
    EnrolmentFactory(cohort=other_cohort, student=outsider)
    other_cohort.teachers.add(UserFactory(username="class.b.teacher", roles=["Teachers"]))
    reviewed = waiting(kind=ArtefactKind.CERTIFICATE, title="1+X certificate")
    services.sign_off(
        artefact=reviewed, reviewer=school.class_teacher, verdict=ReviewVerdict.MEETS, level=levels["3"], comment=""
    )
    draft_again = waiting(kind=ArtefactKind.COURSE_WORK, title="Withdrawn request")
    services.cancel_review(artefact=draft_again, student=school.student)
    return {
        "ec101": waiting(kind=ArtefactKind.COURSE_WORK, title="EC101 essay"),
        "ec202": waiting(kind=ArtefactKind.COURSE_WORK, title="EC202 report", course=school.other_course),
        "class b": waiting(kind=ArtefactKind.REFLECTION, title="Class B reflection", student=outsider),
        "other_cohort": other_cohort,
    }


def test_course_filter_keeps_that_course(client, school, filterable):
    titles = queue_titles(client, school.admin, course=school.other_course.pk)
    assert titles == {"EC202 report"}


def test_cohort_filter_keeps_that_class(client, school, filterable):
    titles = queue_titles(client, school.admin, cohort=filterable["other_cohort"].pk)
    assert titles == {"Class B reflection"}


def test_kind_filter_keeps_that_kind(client, school, filterable):
    titles = queue_titles(client, school.admin, kind=ArtefactKind.CERTIFICATE)
    assert titles == {"1+X certificate"}


def test_status_filter_keeps_that_status(client, school, filterable):
    titles = queue_titles(client, school.admin, status=ArtefactStatus.DRAFT)
    assert titles == {"Withdrawn request"}


def test_waiting_artefacts_come_first(client, school, filterable):
    client.force_login(school.admin)
    statuses = [artefact.status for artefact in client.get(reverse(QUEUE)).context["object_list"]]
    # 3 waiting (EC101 essay, EC202 report, Class B reflection), then the signed-off and the draft ones
    assert statuses[:3] == [ArtefactStatus.IN_REVIEW] * 3
    assert set(statuses[3:]) == {ArtefactStatus.SIGNED_OFF, ArtefactStatus.DRAFT}


def test_a_course_the_reviewer_does_not_review_is_not_offered_as_a_filter(client, school, filterable):
    client.force_login(school.mentor)
    offered = client.get(reverse(QUEUE)).context["filters"].form.fields["course"].queryset
    assert list(offered) == []


def test_counts_per_status_are_shown_before_filters(client, school, filterable):
    client.force_login(school.course_teacher)
    response = client.get(reverse(QUEUE), {"status": ArtefactStatus.IN_REVIEW})
    counts = {status: total for status, _label, total in response.context["counts"]}
    # course_teacher teaches EC101 and EC202: waiting = EC101 essay + EC202 report = 2;
    # draft = the withdrawn request (its grant stays) = 1; the certificate and reflection are not theirs
    assert counts == {ArtefactStatus.IN_REVIEW: 2, ArtefactStatus.SIGNED_OFF: 0, ArtefactStatus.DRAFT: 1}


def test_counts_are_printed_above_the_table(client, school, filterable):
    client.force_login(school.admin)
    body = client.get(reverse(QUEUE)).content.decode()
    # admin: waiting 3 (EC101 essay, EC202 report, Class B reflection), reviewed 1 (certificate), draft 1
    assert "Waiting for review <strong>3</strong>" in body
    assert "Reviewed <strong>1</strong>" in body
    assert "Draft <strong>1</strong>" in body


# --- The review page ---------------------------------------------------------------------------------------


@pytest.fixture
def course_work(school, waiting):
    return waiting(kind=ArtefactKind.COURSE_WORK, title="Listing audit", outcomes=[school.lo1])


def test_review_page_shows_the_current_version_and_the_form(client, school, course_work):
    client.force_login(school.course_teacher)
    body = client.get(review_url(course_work)).content.decode()
    assert "Version 1: Listing audit" in body
    assert "Sign off this version" in body


def test_review_page_links_to_the_version_file(client, school, waiting):
    upload = SimpleUploadedFile("notes.txt", b"Buyer questions answered within a day.\n", content_type="text/plain")
    artefact = waiting(kind=ArtefactKind.REFLECTION, title="Buyer notes", file=upload)
    client.force_login(school.class_teacher)
    body = client.get(review_url(artefact)).content.decode()
    assert f'href="{reverse("portfolios:version_file", args=[artefact.current_version_id])}"' in body


def test_review_page_names_each_claimed_outcome_with_its_course_and_description(client, school, course_work):
    client.force_login(school.course_teacher)
    body = client.get(review_url(course_work)).content.decode()
    # lo1: course "Cross-border e-commerce basics", code LO1, description "Outcome LO1" (tests.factories.outcome)
    assert "<li>Cross-border e-commerce basics · <strong>LO1</strong> Outcome LO1</li>" in body


def test_review_page_shows_whole_hours_without_a_decimal(client, school, waiting):
    internship = waiting(kind=ArtefactKind.INTERNSHIP, title="Amazon internship", hours=Decimal("24.0"))
    client.force_login(school.mentor)
    body = client.get(review_url(internship)).content.decode()
    assert "<dd>24</dd>" in body


def test_review_page_links_to_the_students_portfolio(client, school, course_work):
    client.force_login(school.course_teacher)
    body = client.get(review_url(course_work)).content.decode()
    assert f'href="{course_work.portfolio.url}"' in body
    assert "View the portfolio" in body


def test_review_page_of_a_withdrawn_artefact_says_so_and_offers_no_form(client, school, course_work):
    services.withdraw_artefact(artefact=course_work, student=school.student)
    client.force_login(school.course_teacher)
    body = client.get(review_url(course_work)).content.decode()
    assert "The student withdrew this artefact on" in body
    assert "Sign off this version" not in body


def test_artefact_withdrawn_while_still_marked_waiting_offers_no_form(client, school, course_work):
    """Rows withdrawn before ``withdraw_artefact`` took them back to draft still say "in review"."""
    services.withdraw_artefact(artefact=course_work, student=school.student)
    Artefact.objects.filter(pk=course_work.pk).update(status=ArtefactStatus.IN_REVIEW)
    client.force_login(school.course_teacher)
    assert "Sign off this version" not in client.get(review_url(course_work)).content.decode()


@pytest.fixture
def signed_by_post(client, school, course_work, levels):
    client.force_login(school.course_teacher)
    response = client.post(review_url(course_work), sign_off_data(course_work, levels["3"]))
    course_work.refresh_from_db()
    return response


def test_sign_off_returns_to_the_queue(signed_by_post):
    assert signed_by_post.status_code == 302
    assert signed_by_post["Location"] == reverse(QUEUE)


def test_sign_off_records_verdict_level_comment_and_reviewer(school, course_work, levels, signed_by_post):
    review = ArtefactReview.objects.get(version=course_work.current_version)
    assert (review.verdict, review.level, review.comment, review.reviewer) == (
        ReviewVerdict.MEETS,
        levels["3"],
        "Clear, well evidenced.",
        school.course_teacher,
    )


def test_sign_off_locks_the_artefact(course_work, signed_by_post):
    assert course_work.status == ArtefactStatus.SIGNED_OFF
    assert course_work.is_locked


def test_sign_off_writes_evidence_at_the_level_points(school, course_work, signed_by_post):
    rows = EvidenceRecord.objects.active().filter(student=school.student)
    # claimed: outcome LO1 and competency TRADE (the fixture's default), each scored at level 3 = 3 points
    assert sorted((str(row.outcome or row.competency), row.score) for row in rows) == sorted(
        [(str(school.lo1), 3), (str(school.trade), 3)]
    )


def test_signed_off_artefact_shows_the_review_and_no_form(client, course_work, signed_by_post):
    body = client.get(review_url(course_work)).content.decode()
    assert "Clear, well evidenced." in body
    assert "Sign off this version" not in body


def test_review_line_does_not_end_in_a_doubled_full_stop(client, course_work, signed_by_post):
    reviewed_at = timezone.make_aware(datetime(2026, 5, 1, 16, 35))
    ArtefactReview.objects.filter(artefact=course_work).update(reviewed_at=reviewed_at)
    body = client.get(review_url(course_work)).content.decode()
    # English SHORT_DATETIME_FORMAT "m/d/Y P": 16:35 → "05/01/2026 4:35 p.m.", whose own full stop ends the line
    assert "on 05/01/2026 4:35 p.m." in body
    assert "4:35 p.m.." not in body


def test_second_sign_off_of_the_same_version_is_refused(client, course_work, levels, signed_by_post):
    response = client.post(review_url(course_work), sign_off_data(course_work, levels["4"], comment="Again"))
    assert response.status_code == 200
    assert "This artefact is not waiting for a review." in response.content.decode()
    assert ArtefactReview.objects.filter(artefact=course_work).count() == 1


def test_meets_below_mastery_is_refused_with_a_clear_message(client, school, course_work, levels):
    client.force_login(school.course_teacher)
    response = client.post(review_url(course_work), sign_off_data(course_work, levels["2"]))
    assert response.status_code == 200
    assert "“Meets” needs a level at or above mastery." in response.content.decode()
    assert not ArtefactReview.objects.exists()


def test_sign_off_of_a_version_changed_since_the_page_opened_is_refused(client, school, course_work, levels):
    services.cancel_review(artefact=course_work, student=school.student)
    stale = sign_off_data(course_work, levels["3"])
    services.save_artefact(
        student=school.student,
        kind=ArtefactKind.COURSE_WORK,
        artefact=course_work,
        data=ArtefactInput(
            title="Listing audit, revised", done_on=date(2026, 5, 2), course=school.course, outcomes=[school.lo1]
        ),
    )
    services.request_review(artefact=course_work, student=school.student)
    client.force_login(school.course_teacher)
    response = client.post(review_url(course_work), stale)
    assert "The student changed this artefact after you opened it." in response.content.decode()
    assert not ArtefactReview.objects.exists()


def test_earlier_versions_are_shown_with_their_reviews(client, school, course_work, levels):
    services.sign_off(
        artefact=course_work,
        reviewer=school.course_teacher,
        verdict=ReviewVerdict.PARTIALLY_MEETS,
        level=levels["2"],
        comment="Add the competitor table.",
    )
    services.save_artefact(
        student=school.student,
        kind=ArtefactKind.COURSE_WORK,
        artefact=course_work,
        data=ArtefactInput(
            title="Listing audit with competitors",
            done_on=date(2026, 5, 3),
            course=school.course,
            outcomes=[school.lo1],
        ),
    )
    client.force_login(school.course_teacher)
    body = client.get(review_url(course_work)).content.decode()
    assert "Version 2: Listing audit with competitors" in body
    assert "Version 1: Listing audit" in body
    assert "Add the competitor table." in body
    assert "Sign off this version" in body  # the answer went straight back for review


def test_reviewer_of_another_course_gets_404_on_the_review_page(client, school, course_work):
    client.force_login(school.other_course_teacher)
    assert client.get(review_url(course_work)).status_code == 404


def test_reviewer_of_another_course_gets_404_on_sign_off(client, school, course_work, levels):
    client.force_login(school.other_course_teacher)
    response = client.post(review_url(course_work), sign_off_data(course_work, levels["3"]))
    assert response.status_code == 404
    assert not ArtefactReview.objects.exists()


# --- Batch sign-off ----------------------------------------------------------------------------------------


@pytest.fixture
def certificates(school, waiting):
    return [
        waiting(kind=ArtefactKind.CERTIFICATE, title=f"1+X level {n}", certificate_number=f"X-2026-{n:04}")
        for n in (1, 2, 3)
    ]


def bulk_sign_off(client, user, artefacts, level, *extra_ids):
    client.force_login(user)
    return client.post(
        reverse("portfolios_admin_bulk_sign_off"),
        {
            "artefacts": [artefact.pk for artefact in artefacts] + list(extra_ids),
            "verdict": ReviewVerdict.MEETS,
            "level": level.pk,
            "comment": "Checked against the 1+X register.",
        },
        follow=True,
    )


def test_queue_offers_the_batch_form_with_a_tick_box_per_waiting_artefact(client, school, certificates):
    client.force_login(school.class_teacher)
    body = client.get(reverse(QUEUE)).content.decode()
    assert 'id="bulk-sign-off"' in body
    assert body.count('form="bulk-sign-off"') == 3


def test_bulk_sign_off_signs_off_every_ticked_certificate(client, school, certificates, levels):
    response = bulk_sign_off(client, school.class_teacher, certificates, levels["3"])
    assert "3 artefacts signed off." in response.content.decode()
    for certificate in certificates:
        certificate.refresh_from_db()
    assert [certificate.status for certificate in certificates] == [ArtefactStatus.SIGNED_OFF] * 3


def test_bulk_sign_off_refuses_and_reports_an_artefact_outside_the_queue(client, school, certificates, waiting, levels):
    not_theirs = waiting(kind=ArtefactKind.COURSE_WORK, title="Course work for EC101")  # course_teacher's
    response = bulk_sign_off(client, school.class_teacher, certificates[:2], levels["3"], not_theirs.pk)
    body = response.content.decode()
    assert "2 artefacts signed off." in body
    assert f"Artefact #{not_theirs.pk} is not in your review queue." in body
    not_theirs.refresh_from_db()
    assert not_theirs.status == ArtefactStatus.IN_REVIEW
    assert ArtefactReview.objects.filter(reviewer=school.class_teacher).count() == 2


def test_bulk_sign_off_reports_a_withdrawn_artefact_as_not_in_the_queue(client, school, certificates, levels):
    services.withdraw_artefact(artefact=certificates[0], student=school.student)
    response = bulk_sign_off(client, school.class_teacher, certificates, levels["3"])
    body = response.content.decode()
    assert f"Artefact #{certificates[0].pk} is not in your review queue." in body
    assert "2 artefacts signed off." in body
    assert not ArtefactReview.objects.filter(artefact=certificates[0]).exists()


def test_bulk_sign_off_reports_each_refusal_with_its_reason(client, school, certificates, levels):
    services.sign_off(
        artefact=certificates[0],
        reviewer=school.class_teacher,
        verdict=ReviewVerdict.MEETS,
        level=levels["3"],
        comment="",
    )
    response = bulk_sign_off(client, school.class_teacher, certificates, levels["3"])
    body = response.content.decode()
    assert "2 artefacts signed off." in body
    assert "“1+X level 1” was not signed off: This artefact is not waiting for a review." in body


def test_bulk_sign_off_without_ticks_says_what_is_missing(client, school, certificates, levels):
    response = bulk_sign_off(client, school.class_teacher, [], levels["3"])
    assert "Tick at least one artefact waiting for review." in response.content.decode()
    assert not ArtefactReview.objects.exists()


def test_bulk_sign_off_by_a_student_is_sent_to_the_admin_login(school, certificates, levels):
    client = Client()
    client.force_login(school.student)
    response = client.post(
        reverse("portfolios_admin_bulk_sign_off"),
        {"artefacts": [certificates[0].pk], "verdict": ReviewVerdict.MEETS, "level": levels["3"].pk},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert not ArtefactReview.objects.exists()


def test_bulk_sign_off_needs_the_csrf_token(school, certificates, levels):
    client = Client(enforce_csrf_checks=True)
    response = bulk_sign_off(client, school.class_teacher, certificates, levels["3"])
    assert response.status_code == 403
    assert not ArtefactReview.objects.exists()


# --- Dashboard ---------------------------------------------------------------------------------------------


def test_dashboard_tells_a_reviewer_how_many_wait(client, school, certificates):
    client.force_login(school.class_teacher)
    assert "Waiting for your review: 3 artefacts." in client.get(reverse("wagtailadmin_home")).content.decode()


def test_dashboard_says_nothing_to_a_reviewer_with_nothing_waiting(client, school, certificates):
    client.force_login(school.mentor)
    assert "Waiting for your review" not in client.get(reverse("wagtailadmin_home")).content.decode()


# --- Query budget ------------------------------------------------------------------------------------------


def fill_queue(make_artefact, school, levels, count: int, start: int = 0) -> None:
    """``count`` certificates for the class teacher, every fifth one already signed off."""
    for n in range(start, start + count):
        student = school.student if n % 2 else school.other_student
        artefact = send_for_review(
            make_artefact(kind=ArtefactKind.CERTIFICATE, student=student, title=f"Certificate {n:03}")
        )
        if n % 5 == 0:
            services.sign_off(
                artefact=artefact,
                reviewer=school.class_teacher,
                verdict=ReviewVerdict.MEETS,
                level=levels["3"],
                comment="",
            )


def test_queue_queries_are_equal_at_5_and_50_artefacts(
    client, school, make_artefact, levels, django_assert_num_queries
):
    client.force_login(school.class_teacher)
    url = reverse(QUEUE)
    fill_queue(make_artefact, school, levels, 5)
    client.get(url)  # warm the site and settings caches
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(url).context["object_list"]) == 5
    fill_queue(make_artefact, school, levels, 45, start=5)
    with django_assert_num_queries(len(few)):
        # 50 artefacts, 30 to a page
        assert len(client.get(url).context["object_list"]) == 30
