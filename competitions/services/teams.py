"""Forming teams: create, join by invitation code, leave, supervisors, new invitation codes.

Team membership changes only while the competition's registration is open (``registration_opens <= now <
registration_closes``). Memberships are never deleted: leaving sets ``left_at``. Guardian rights follow
membership through the helpers in :mod:`competitions.permissions`.

The smallest team size is not enforced here (a team has to start with one member); :func:`submit` refuses work
from a team below it.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from competitions.models import CompetitionPage, Team, TeamMembership, new_invite_code
from competitions.permissions import (
    grant_membership_rights,
    grant_supervision_rights,
    is_organiser,
    revoke_membership_rights,
    revoke_supervision_rights,
)
from competitions.selectors.teams import current_memberships, registration_closed_reason
from courses.roles import MENTORS, STUDENTS, TEACHERS, has_role


def _require_registration_open(competition: CompetitionPage) -> None:
    problem = registration_closed_reason(competition=competition)
    if problem:
        raise ValidationError(problem)


def _require_student(person: AbstractBaseUser) -> None:
    if not has_role(person, STUDENTS):
        raise ValidationError(_("Only students can be members of a competition team."))


def _lock_person(person: AbstractBaseUser) -> None:
    """Serialise one person's team changes, so two requests cannot put them in two teams of one competition."""
    get_user_model().objects.select_for_update().filter(pk=person.pk).first()


def _require_no_current_team(student: AbstractBaseUser, competition: CompetitionPage) -> None:
    if current_memberships().filter(student=student, team__competition=competition).exists():
        raise ValidationError(
            _("You are already in a team for “%(competition)s”. Leave it before joining another.")
            % {"competition": competition.title}
        )


def _check_supervisors(*, advisor: AbstractBaseUser | None, mentor: AbstractBaseUser | None) -> None:
    if advisor is not None and not has_role(advisor, TEACHERS):
        raise ValidationError(_("The advisor must be a teacher."))
    if mentor is not None and not has_role(mentor, MENTORS):
        raise ValidationError(_("The mentor must be an enterprise mentor."))
    if advisor is not None and mentor is not None and advisor.pk == mentor.pk:
        raise ValidationError(_("The advisor and the enterprise mentor must be different people."))


def _lock_team(team: Team) -> Team:
    return Team.objects.select_for_update(of=("self",)).select_related("competition").get(pk=team.pk)


def create_team(
    *,
    competition: CompetitionPage,
    name: str,
    created_by: AbstractBaseUser,
    advisor: AbstractBaseUser | None = None,
    mentor: AbstractBaseUser | None = None,
) -> Team:
    """Create a team whose creator is its first member and captain."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Give the team a name."))
    if len(name) > Team._meta.get_field("name").max_length:
        raise ValidationError(_("The team name is too long."))
    _require_student(created_by)
    _check_supervisors(advisor=advisor, mentor=mentor)
    _require_registration_open(competition)
    with transaction.atomic():
        _lock_person(created_by)
        _require_no_current_team(created_by, competition)
        if Team.objects.filter(competition=competition, name__iexact=name).exists():
            raise ValidationError(_("A team called “%(name)s” already exists in this competition.") % {"name": name})
        try:
            with transaction.atomic():
                team = Team.objects.create(
                    competition=competition, name=name, created_by=created_by, advisor=advisor, mentor=mentor
                )
        except IntegrityError as error:
            raise ValidationError(
                _("A team called “%(name)s” already exists in this competition.") % {"name": name}
            ) from error
        TeamMembership.objects.create(team=team, student=created_by, is_captain=True)
        grant_membership_rights(team=team, student=created_by)
        for supervisor in (advisor, mentor):
            if supervisor is not None:
                grant_supervision_rights(team=team, supervisor=supervisor)
        return team


def join_team(*, invite_code: str, student: AbstractBaseUser) -> TeamMembership:
    """Join the team whose invitation code this is, if it has room.

    The team row is locked while its members are counted, so two students joining at once cannot take the team
    past its largest size.
    """
    invite_code = (invite_code or "").strip()
    not_found = ValidationError(_("No team has this invitation code. Check it with your captain."))
    if not invite_code:
        raise not_found
    _require_student(student)
    with transaction.atomic():
        team = (
            Team.objects.select_for_update(of=("self",))
            .select_related("competition")
            .filter(invite_code=invite_code, withdrawn_at__isnull=True)
            .first()
        )
        if team is None:
            raise not_found
        competition = team.competition
        _require_registration_open(competition)
        _lock_person(student)
        _require_no_current_team(student, competition)
        if current_memberships().filter(team=team).count() >= competition.max_team_size:
            raise ValidationError(
                _("“%(team)s” is full: teams in this competition have at most %(maximum)s members.")
                % {"team": team.name, "maximum": competition.max_team_size}
            )
        membership = TeamMembership.objects.create(team=team, student=student)
        grant_membership_rights(team=team, student=student)
        return membership


def leave_team(*, team: Team, student: AbstractBaseUser) -> TeamMembership:
    """End a student's membership. A leaving captain hands over to the longest-standing member; the last member
    leaving withdraws the team (its submissions stay)."""
    with transaction.atomic():
        team = _lock_team(team)
        _require_registration_open(team.competition)
        membership = current_memberships().filter(team=team, student=student).first()
        if membership is None:
            raise ValidationError(_("You are not a member of this team."))
        now = timezone.now()
        membership.left_at = now
        was_captain = membership.is_captain
        membership.is_captain = False
        membership.save(update_fields=["left_at", "is_captain"])
        revoke_membership_rights(team=team, student=student)
        remaining = current_memberships().filter(team=team).order_by("joined_at", "pk")
        successor = remaining.first()
        if successor is None:
            team.withdrawn_at = now
            team.save(update_fields=["withdrawn_at"])
        elif was_captain:
            successor.is_captain = True
            successor.save(update_fields=["is_captain"])
        return membership


def _may_manage(team: Team, person: AbstractBaseUser) -> bool:
    """The team's captain or an organiser of the competition (callers add the registration window for captains)."""
    if is_organiser(person, team.competition):
        return True
    return current_memberships().filter(team=team, student=person, is_captain=True).exists()


def set_supervisors(
    *,
    team: Team,
    advisor: AbstractBaseUser | None,
    mentor: AbstractBaseUser | None,
    changed_by: AbstractBaseUser,
) -> Team:
    """Name the team's advisor teacher and (optionally) enterprise mentor.

    The captain may do this while registration is open; organisers at any time. Supervisors who are replaced lose
    their view of the team's work.
    """
    _check_supervisors(advisor=advisor, mentor=mentor)
    with transaction.atomic():
        team = _lock_team(team)
        if team.withdrawn_at is not None:
            raise ValidationError(_("This team has withdrawn from the competition."))
        organiser = is_organiser(changed_by, team.competition)
        if not organiser:
            if not _may_manage(team, changed_by):
                raise ValidationError(_("Only the team's captain can change its advisor and mentor."))
            _require_registration_open(team.competition)
        previous = {team.advisor, team.mentor} - {None}
        team.advisor, team.mentor = advisor, mentor
        team.save(update_fields=["advisor", "mentor"])
        current = {advisor, mentor} - {None}
        members = set(current_memberships().filter(team=team).values_list("student_id", flat=True))
        for person in current - previous:
            grant_supervision_rights(team=team, supervisor=person)
        for person in previous - current:
            if person.pk not in members:
                revoke_supervision_rights(team=team, supervisor=person)
        return team


def regenerate_invite_code(*, team: Team, by: AbstractBaseUser) -> Team:
    """Give the team a new invitation code; the old one stops working at once."""
    with transaction.atomic():
        team = _lock_team(team)
        if team.withdrawn_at is not None:
            raise ValidationError(_("This team has withdrawn from the competition."))
        if not _may_manage(team, by):
            raise ValidationError(_("Only the team's captain can make a new invitation code."))
        team.invite_code = new_invite_code()
        team.save(update_fields=["invite_code"])
        return team
