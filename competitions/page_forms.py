"""Admin form for round pages (imported by the page model, so it must not import competitions.models)."""

from wagtail.admin.forms import WagtailAdminPageForm


class RoundPageForm(WagtailAdminPageForm):
    """Tells a new round which competition it is being added to, so its validation can see earlier rounds."""

    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        if self.instance.pk is None and parent_page is not None:
            self.instance.validation_parent = parent_page
