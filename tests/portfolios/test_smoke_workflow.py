from courses.models import EvidenceRecord
from portfolios.models import ArtefactKind, ArtefactStatus, ReviewVerdict
from portfolios.services import request_review, sign_off


def test_internship_signed_off_by_mentor_writes_evidence(school, make_artefact):
    artefact = make_artefact(kind=ArtefactKind.INTERNSHIP, title="Amazon listing internship")
    artefact.visibility = "reviewers"
    artefact.save()
    request_review(artefact=artefact, student=school.student)
    level = school.framework.scale.levels_by_points[2]
    review = sign_off(
        artefact=artefact, reviewer=school.mentor, verdict=ReviewVerdict.MEETS, level=level, comment="Good"
    )
    artefact.refresh_from_db()
    assert artefact.status == ArtefactStatus.SIGNED_OFF
    assert review.level == level
    row = EvidenceRecord.objects.active().get(student=school.student)
    assert row.competency == school.trade and row.score == 3
