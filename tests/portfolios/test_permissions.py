"""Who sees and changes what in portfolios: audiences, per-artefact visibility, file access and the gates."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404

from portfolios import permissions
from portfolios.models import ArtefactKind, PortfolioShare, ReviewVerdict, Visibility
from portfolios.permissions import (
    EMPLOYER_AUDIENCE,
    EVERYONE,
    OWNER_AUDIENCE,
    REVIEWER_AUDIENCE,
    access_artefact_for_review,
    access_own_artefact,
    access_version_file,
    artefacts_user_may_review,
    artefacts_visible_to,
    audience_for,
)
from portfolios.services import (
    ArtefactInput,
    cancel_review,
    portfolio_for,
    revoke_share,
    save_artefact,
    set_visibility,
    share_with_employer,
    sign_off,
    withdraw_artefact,
)
from tests.factories import UserFactory


def viewer(school, role: str):
    """The person playing ``role`` for ``school.student``'s portfolio."""
    if role == "anonymous":
        return AnonymousUser()
    if role == "employer with share":
        share_with_employer(
            portfolio=portfolio_for(student=school.student), student=school.student, employer=school.employer
        )
        return school.employer
    if role == "employer without share":
        return school.employer
    return getattr(school, role)


# --- audiences ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "audience"),
    [
        ("student", OWNER_AUDIENCE),
        ("class_teacher", REVIEWER_AUDIENCE),
        ("admin", REVIEWER_AUDIENCE),
        ("employer with share", EMPLOYER_AUDIENCE),
        ("employer without share", EVERYONE),
        ("other_student", EVERYONE),
        ("course_teacher", EVERYONE),  # teaches a course, not the student's class
        ("mentor", EVERYONE),
        ("anonymous", EVERYONE),
    ],
)
def test_audience_for_each_role(school, role, audience):
    portfolio = portfolio_for(student=school.student)
    assert audience_for(viewer(school, role), portfolio) == audience


def test_owner_audience_includes_private_and_the_reviewer_audience_does_not(school):
    assert Visibility.PRIVATE in OWNER_AUDIENCE
    assert Visibility.PRIVATE not in REVIEWER_AUDIENCE | EMPLOYER_AUDIENCE | EVERYONE


def test_sharing_with_an_employer_takes_effect_at_once(school):
    portfolio = portfolio_for(student=school.student)
    assert audience_for(school.employer, portfolio) == EVERYONE
    share_with_employer(portfolio=portfolio, student=school.student, employer=school.employer)
    assert audience_for(school.employer, portfolio) == EMPLOYER_AUDIENCE


def test_revoking_a_share_takes_effect_at_once(school):
    portfolio = portfolio_for(student=school.student)
    share = share_with_employer(portfolio=portfolio, student=school.student, employer=school.employer)
    revoke_share(share=share, student=school.student)
    assert audience_for(school.employer, portfolio) == EVERYONE
    share.refresh_from_db()
    assert share.revoked_at is not None


def test_sharing_again_after_revoking_opens_a_new_share(school):
    portfolio = portfolio_for(student=school.student)
    first = share_with_employer(portfolio=portfolio, student=school.student, employer=school.employer)
    revoke_share(share=first, student=school.student)
    second = share_with_employer(portfolio=portfolio, student=school.student, employer=school.employer)
    assert second.pk != first.pk
    assert audience_for(school.employer, portfolio) == EMPLOYER_AUDIENCE
    assert PortfolioShare.objects.filter(portfolio=portfolio).count() == 2


def test_sharing_twice_keeps_one_open_share(school):
    portfolio = portfolio_for(student=school.student)
    first = share_with_employer(portfolio=portfolio, student=school.student, employer=school.employer)
    again = share_with_employer(portfolio=portfolio, student=school.student, employer=school.employer)
    assert again == first


def test_a_share_with_one_student_shows_nothing_more_of_another(school):
    share_with_employer(
        portfolio=portfolio_for(student=school.student), student=school.student, employer=school.employer
    )
    assert audience_for(school.employer, portfolio_for(student=school.other_student)) == EVERYONE


def test_sharing_with_someone_who_is_not_an_employer_is_refused(school):
    portfolio = portfolio_for(student=school.student)
    with pytest.raises(ValidationError) as caught:
        share_with_employer(portfolio=portfolio, student=school.student, employer=school.other_student)
    assert "not registered as an employer" in " ".join(caught.value.messages)
    assert audience_for(school.other_student, portfolio) == EVERYONE


def test_sharing_another_students_portfolio_is_refused(school):
    portfolio = portfolio_for(student=school.student)
    with pytest.raises(ValidationError):
        share_with_employer(portfolio=portfolio, student=school.other_student, employer=school.employer)
    assert audience_for(school.employer, portfolio) == EVERYONE


def test_revoking_another_students_share_is_refused(school):
    portfolio = portfolio_for(student=school.student)
    share = share_with_employer(portfolio=portfolio, student=school.student, employer=school.employer)
    with pytest.raises(ValidationError):
        revoke_share(share=share, student=school.other_student)
    assert audience_for(school.employer, portfolio) == EMPLOYER_AUDIENCE


# --- artefacts_visible_to ----------------------------------------------------------------------------

EVERY_VIEWER_SEES = {
    # role: the visibilities whose artefacts they see
    "student": {Visibility.PRIVATE, Visibility.REVIEWERS, Visibility.EMPLOYERS, Visibility.PUBLIC},
    "class_teacher": {Visibility.REVIEWERS, Visibility.EMPLOYERS, Visibility.PUBLIC},
    "admin": {Visibility.REVIEWERS, Visibility.EMPLOYERS, Visibility.PUBLIC},
    "employer with share": {Visibility.EMPLOYERS, Visibility.PUBLIC},
    "employer without share": {Visibility.PUBLIC},
    "other_student": {Visibility.PUBLIC},
    "course_teacher": {Visibility.PUBLIC},
    "mentor": {Visibility.PUBLIC},
    "anonymous": {Visibility.PUBLIC},
}


@pytest.mark.parametrize("visibility", Visibility.values)
@pytest.mark.parametrize("role", list(EVERY_VIEWER_SEES))
def test_artefacts_visible_to_each_viewer_by_visibility(school, make_artefact, role, visibility):
    artefact = make_artefact(title="Listing optimisation")
    set_visibility(artefact=artefact, student=school.student, visibility=visibility)
    shown = artefacts_visible_to(viewer(school, role), artefact.portfolio)
    assert shown.filter(pk=artefact.pk).exists() == (visibility in EVERY_VIEWER_SEES[role])


def test_a_reviewer_sees_an_artefact_sent_to_them_beyond_their_audience(school, make_artefact, send_for_review):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    assert audience_for(school.course_teacher, artefact.portfolio) == EVERYONE
    assert list(artefacts_visible_to(school.course_teacher, artefact.portfolio)) == [artefact]


def test_a_reviewer_does_not_see_the_students_other_artefacts(school, make_artefact, send_for_review):
    sent = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(sent)
    other = make_artefact(title="Another")
    set_visibility(artefact=other, student=school.student, visibility=Visibility.REVIEWERS)
    assert list(artefacts_visible_to(school.course_teacher, sent.portfolio)) == [sent]


def test_a_private_artefact_is_hidden_from_a_reviewer_who_once_had_review_rights(
    school, make_artefact, send_for_review
):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    cancel_review(artefact=artefact, student=school.student)
    set_visibility(artefact=artefact, student=school.student, visibility=Visibility.PRIVATE)
    assert artefacts_user_may_review(school.course_teacher).filter(pk=artefact.pk).exists()  # the grant remains
    assert not artefacts_visible_to(school.course_teacher, artefact.portfolio).exists()


def test_a_signed_off_artefact_made_private_is_hidden_from_its_reviewer(school, make_artefact, send_for_review, levels):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    sign_off(
        artefact=artefact, reviewer=school.course_teacher, verdict=ReviewVerdict.MEETS, level=levels[3], comment=""
    )
    set_visibility(artefact=artefact, student=school.student, visibility=Visibility.PRIVATE)
    assert not artefacts_visible_to(school.course_teacher, artefact.portfolio).exists()
    assert not artefacts_visible_to(school.class_teacher, artefact.portfolio).exists()
    assert not artefacts_visible_to(school.admin, artefact.portfolio).exists()


def test_an_artefact_in_review_cannot_be_made_private(school, make_artefact, send_for_review):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    with pytest.raises(ValidationError):
        set_visibility(artefact=artefact, student=school.student, visibility=Visibility.PRIVATE)
    artefact.refresh_from_db()
    assert artefact.visibility == Visibility.REVIEWERS


def test_another_student_cannot_change_visibility(school, make_artefact):
    artefact = make_artefact()
    with pytest.raises(ValidationError):
        set_visibility(artefact=artefact, student=school.other_student, visibility=Visibility.PUBLIC)
    artefact.refresh_from_db()
    assert artefact.visibility == Visibility.PRIVATE


def test_an_unknown_visibility_is_refused(school, make_artefact):
    artefact = make_artefact()
    with pytest.raises(ValidationError):
        set_visibility(artefact=artefact, student=school.student, visibility="friends")


def test_revoking_a_share_hides_employer_artefacts_at_once(school, make_artefact):
    artefact = make_artefact()
    set_visibility(artefact=artefact, student=school.student, visibility=Visibility.EMPLOYERS)
    share = share_with_employer(portfolio=artefact.portfolio, student=school.student, employer=school.employer)
    assert artefacts_visible_to(school.employer, artefact.portfolio).exists()
    revoke_share(share=share, student=school.student)
    assert not artefacts_visible_to(school.employer, artefact.portfolio).exists()


# --- review rights -----------------------------------------------------------------------------------


def test_an_administrator_may_review_every_artefact(school, make_artefact):
    mine = make_artefact()
    theirs = make_artefact(student=school.other_student)
    assert set(artefacts_user_may_review(school.admin)) == {mine, theirs}


def test_nobody_anonymous_may_review(school, make_artefact):
    make_artefact()
    assert not artefacts_user_may_review(AnonymousUser()).exists()


def test_a_reviewer_may_review_only_what_was_sent_to_them(school, make_artefact, send_for_review):
    sent = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(sent)
    make_artefact(kind=ArtefactKind.COURSE_WORK, title="Not sent")
    assert list(artefacts_user_may_review(school.course_teacher)) == [sent]


# --- access_version_file -----------------------------------------------------------------------------


@pytest.fixture
def two_versions(school, make_artefact, send_for_review, levels):
    """A course-work artefact reviewed at v1 and answered with v2 (back in review), visible to reviewers."""
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK, title="v1")
    send_for_review(artefact)
    sign_off(
        artefact=artefact,
        reviewer=school.course_teacher,
        verdict=ReviewVerdict.PARTIALLY_MEETS,
        level=levels[2],
        comment="",
    )
    save_artefact(
        student=school.student,
        kind=artefact.kind,
        data=ArtefactInput(title="v2", done_on=date(2026, 6, 1), course=school.course, competencies=[school.trade]),
        artefact=artefact,
    )
    artefact.refresh_from_db()
    earlier = artefact.versions.get(number=1)
    return artefact, earlier, artefact.current_version


def test_the_owner_may_open_every_version(school, two_versions):
    _artefact, earlier, current = two_versions
    assert access_version_file(school.student, earlier.pk) == earlier
    assert access_version_file(school.student, current.pk) == current


def test_a_reviewer_may_open_every_version(school, two_versions):
    _artefact, earlier, current = two_versions
    assert access_version_file(school.course_teacher, earlier.pk) == earlier
    assert access_version_file(school.course_teacher, current.pk) == current


def test_a_class_teacher_who_is_not_a_reviewer_opens_only_the_current_version(school, two_versions):
    _artefact, earlier, current = two_versions
    assert access_version_file(school.class_teacher, current.pk) == current
    with pytest.raises(Http404):
        access_version_file(school.class_teacher, earlier.pk)


def test_everyone_opens_only_the_current_version_of_a_public_artefact(school, two_versions):
    artefact, earlier, current = two_versions
    set_visibility(artefact=artefact, student=school.student, visibility=Visibility.PUBLIC)
    for person in (AnonymousUser(), school.other_student):
        assert access_version_file(person, current.pk) == current
        with pytest.raises(Http404):
            access_version_file(person, earlier.pk)


@pytest.mark.parametrize("role", ["other_student", "anonymous", "employer without share", "course_teacher"])
def test_people_outside_the_audience_cannot_open_any_version(school, make_artefact, role):
    artefact = make_artefact()
    set_visibility(artefact=artefact, student=school.student, visibility=Visibility.EMPLOYERS)
    with pytest.raises(Http404):
        access_version_file(viewer(school, role), artefact.current_version_id)


def test_an_employer_with_a_share_opens_the_current_version_until_revoked(school, make_artefact):
    artefact = make_artefact()
    set_visibility(artefact=artefact, student=school.student, visibility=Visibility.EMPLOYERS)
    share = share_with_employer(portfolio=artefact.portfolio, student=school.student, employer=school.employer)
    assert access_version_file(school.employer, artefact.current_version_id) == artefact.current_version
    revoke_share(share=share, student=school.student)
    with pytest.raises(Http404):
        access_version_file(school.employer, artefact.current_version_id)


@pytest.mark.parametrize("role", ["course_teacher", "class_teacher", "admin"])
def test_nobody_but_the_owner_opens_a_private_artefact(school, two_versions, role):
    artefact, earlier, current = two_versions
    cancel_review(artefact=artefact, student=school.student)
    set_visibility(artefact=artefact, student=school.student, visibility=Visibility.PRIVATE)
    for version in (earlier, current):
        with pytest.raises(Http404):
            access_version_file(getattr(school, role), version.pk)
    assert access_version_file(school.student, current.pk) == current


def test_a_withdrawn_artefact_file_is_closed_to_its_audience(school, make_artefact):
    artefact = make_artefact()
    set_visibility(artefact=artefact, student=school.student, visibility=Visibility.PUBLIC)
    withdraw_artefact(artefact=artefact, student=school.student)
    with pytest.raises(Http404):
        access_version_file(school.other_student, artefact.current_version_id)
    assert access_version_file(school.student, artefact.current_version_id) == artefact.current_version


def test_a_version_that_does_not_exist_is_404(school):
    with pytest.raises(Http404):
        access_version_file(school.student, 999_999)


# --- gates -------------------------------------------------------------------------------------------


def test_access_own_artefact_answers_the_owner(school, make_artefact):
    artefact = make_artefact()
    assert access_own_artefact(school.student, artefact.pk) == artefact


@pytest.mark.parametrize("role", ["other_student", "class_teacher", "admin", "anonymous"])
def test_access_own_artefact_is_404_for_anyone_else(school, make_artefact, role):
    artefact = make_artefact()
    set_visibility(artefact=artefact, student=school.student, visibility=Visibility.PUBLIC)
    with pytest.raises(Http404):
        access_own_artefact(viewer(school, role), artefact.pk)


def test_access_own_artefact_is_404_for_a_missing_artefact(school):
    with pytest.raises(Http404):
        access_own_artefact(school.student, 999_999)


def test_access_artefact_for_review_answers_a_reviewer(school, make_artefact, send_for_review):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    assert access_artefact_for_review(school.course_teacher, artefact.pk) == artefact


@pytest.mark.parametrize("role", ["other_course_teacher", "class_teacher", "student", "other_student", "anonymous"])
def test_access_artefact_for_review_is_404_for_a_non_reviewer(school, make_artefact, send_for_review, role):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    with pytest.raises(Http404):
        access_artefact_for_review(viewer(school, role), artefact.pk)


def test_access_artefact_for_review_is_404_once_the_artefact_is_private(school, make_artefact, send_for_review):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    cancel_review(artefact=artefact, student=school.student)
    set_visibility(artefact=artefact, student=school.student, visibility=Visibility.PRIVATE)
    with pytest.raises(Http404):
        access_artefact_for_review(school.course_teacher, artefact.pk)


def test_access_artefact_for_review_is_404_for_a_missing_artefact(school):
    with pytest.raises(Http404):
        access_artefact_for_review(school.admin, 999_999)


def test_review_rights_do_not_leak_to_another_students_artefact(school, make_artefact, send_for_review):
    mine = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(mine)
    theirs = make_artefact(kind=ArtefactKind.COURSE_WORK, student=school.other_student)
    set_visibility(artefact=theirs, student=school.other_student, visibility=Visibility.REVIEWERS)
    with pytest.raises(Http404):
        access_artefact_for_review(school.course_teacher, theirs.pk)


def test_reviewers_of_lists_who_holds_review_rights(school, make_artefact, send_for_review):
    artefact = make_artefact(kind=ArtefactKind.INTERNSHIP)
    send_for_review(artefact)
    extra = UserFactory(username="extra.reviewer")
    permissions.grant_review(artefact=artefact, reviewer=extra)
    assert set(permissions.reviewers_of(artefact)) == {school.mentor, extra}
    permissions.revoke_review(artefact=artefact, reviewer=extra)
    assert set(permissions.reviewers_of(artefact)) == {school.mentor}
