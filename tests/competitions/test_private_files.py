from django.conf import settings

from competitions.models import Submission


def test_submission_files_are_stored_outside_the_public_media_folder():
    storage = Submission._meta.get_field("file").storage
    assert not str(storage.location).startswith(str(settings.MEDIA_ROOT))
