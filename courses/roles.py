"""The names of the role groups, kept in the core so every app can refer to them without importing ``lms``.

``lms.roles`` adds what each role may do (model and page permissions); this module only names them.
"""

TEACHERS = "Teachers"
MENTORS = "Enterprise mentors"
JUDGES = "Judges"
STUDENTS = "Students"
EMPLOYERS = "Employers"


def has_role(user, role: str) -> bool:
    return user.is_authenticated and user.groups.filter(name=role).exists()


def is_teacher_or_administrator(user) -> bool:
    """Who reaches the teaching side of the admin (class transcripts, class analytics); what each of them then
    sees there is decided per class or programme."""
    return user.is_authenticated and (user.is_superuser or has_role(user, TEACHERS))
