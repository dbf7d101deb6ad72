from courses.models.assessments import AssessmentResult, CourseAssessment
from courses.models.evidence import EvidenceQuerySet, EvidenceRecord, EvidenceSourceKind, LedgerIsAppendOnly
from courses.models.frameworks import (
    METHOD_PARAMETER_DEFAULTS,
    CalculationMethod,
    Competency,
    CompetencyFramework,
    ProficiencyLevel,
    ProficiencyScale,
)
from courses.models.pages import (
    CourseIndexPage,
    CourseOutcome,
    CoursePage,
    CourseTeacher,
    OutcomeAlignment,
    TeacherRole,
)
from courses.models.programmes import Cohort, Enrolment, Programme, Track, TrackKind

__all__ = [
    "METHOD_PARAMETER_DEFAULTS",
    "AssessmentResult",
    "CalculationMethod",
    "Cohort",
    "Competency",
    "CompetencyFramework",
    "CourseAssessment",
    "CourseIndexPage",
    "CourseOutcome",
    "CoursePage",
    "CourseTeacher",
    "Enrolment",
    "EvidenceQuerySet",
    "EvidenceRecord",
    "EvidenceSourceKind",
    "LedgerIsAppendOnly",
    "OutcomeAlignment",
    "ProficiencyLevel",
    "ProficiencyScale",
    "Programme",
    "TeacherRole",
    "Track",
    "TrackKind",
]
