"""The security suite: hostile input and access, checked against every route (see DESIGN.md, "Safety rules").

- ``test_authorisation_matrix.py``: every route of the URL configuration × eight roles, GET and POST.
- ``test_csrf.py``: every route that accepts POST refuses one without a CSRF token.
- ``test_script_injection.py``: script payloads through every input, the pages loaded in chromium.
- ``test_upload_attacks.py``: every upload surface × hostile files.
- ``test_share_tokens.py``: share-link guessing hits the rate limit; tokens are long and stored hashed.
- ``test_deploy_settings.py``: ``check --deploy`` and Django's deployment checklist under the production settings.
- ``test_class_teacher_escalation.py``: a teacher cannot make themselves class teacher of another class.

Kept beside the code they guard, and part of the same promise: the WeasyPrint URL fetcher's restrictions
(no network, no ``file://`` outside static and media, no redirects) in ``tests/transcripts/test_fetcher.py``;
the HTML sanitiser's allow-list in ``tests/themes/test_sanitiser.py``; each upload validator in
``tests/courses/test_uploads.py``.
"""
