"""StreamField blocks for the course syllabus."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class TeachingUnitBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"))
    hours = blocks.IntegerBlock(label=_("Teaching hours"), min_value=0, required=False)
    practice = blocks.BooleanBlock(label=_("Practical (training room or enterprise)"), required=False)
    topics = blocks.RichTextBlock(label=_("Topics"), features=["bold", "italic", "ol", "ul", "link"])

    class Meta:
        icon = "list-ul"
        label = _("Teaching unit")
        template = "courses/blocks/teaching_unit.html"


class SyllabusBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title", template="courses/blocks/heading.html")
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["bold", "italic", "ol", "ul", "link", "h3"],
        template="courses/blocks/paragraph.html",
    )
    unit = TeachingUnitBlock()

    class Meta:
        block_counts = {}
