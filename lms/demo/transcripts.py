"""Demo transcripts: issued for a few students (one re-issued, so its first version is superseded), one shared
with the demo employer, who has said how much three of its competencies matter to them (the demand report
counts it), and one revoked by the class teacher. Rendering happens in the task worker.

A student who already has a transcript is left alone, so a rerun issues nothing new.
"""

from django.contrib.auth.models import AbstractBaseUser

from portfolios.models import Transcript
from portfolios.transcripts.services import give_feedback, grant_to_employer, issue_transcript, revoke_transcript

COUNTED_MODELS = {"transcripts": Transcript}

#: Positions in content.STUDENT_NAMES: the first shares hers, the second re-issued his, the third was revoked.
SHARED, REISSUED, REVOKED = 0, 1, 2
REVOCATION_REASON = "Issued before the corrected Business English results were entered; re-issue after the review."
#: The employer's feedback on the shared transcript: (position in its competencies, importance 1–5, comment).
EMPLOYER_FEEDBACK = [
    (0, 5, "我们的店铺运营岗位每天都要用到，是招聘的首要条件。"),
    (1, 4, "Buyer messages in English are half of the job in our Shopee team."),
    (2, 2, ""),
]


def build_transcripts(*, staff: dict[str, AbstractBaseUser], students: list[AbstractBaseUser]) -> None:
    teacher = staff["teacher"]
    for position in (SHARED, REISSUED, REVOKED):
        student = students[position]
        if Transcript.objects.filter(student=student).exists():
            continue
        transcript = issue_transcript(student=student, issued_by=student)
        if position == SHARED:
            grant_to_employer(transcript=transcript, student=student, employer=staff["employer"])
            _give_feedback(transcript, employer=staff["employer"])
        elif position == REISSUED:
            issue_transcript(student=student, issued_by=teacher)
        elif position == REVOKED:
            revoke_transcript(transcript=transcript, revoked_by=teacher, reason=REVOCATION_REASON)


def _give_feedback(transcript: Transcript, *, employer: AbstractBaseUser) -> None:
    from courses.models import Competency

    competency_ids = [row["id"] for row in transcript.snapshot["competencies"]]
    for position, importance, comment in EMPLOYER_FEEDBACK:
        if position < len(competency_ids):
            give_feedback(
                transcript=transcript,
                employer=employer,
                competency=Competency.objects.get(pk=competency_ids[position]),
                importance=importance,
                comment=comment,
            )
