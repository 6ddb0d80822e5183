"""Spreadsheets in and out of the admin (django-import-export), with one set of columns for both.

An export can be edited in Excel and imported back: the same columns, the same way of writing
each value. Rows are matched to the catalogue by normalised web address, then by slug; anything
the spreadsheet names (a publisher, a term, a type) must already exist, or the row is refused
with its row number, the column and the value. An import with any refused row writes nothing.
See docs/decisions/0007-spreadsheets.md.
"""

from collections import defaultdict

from django.core.exceptions import NON_FIELD_ERRORS
from import_export import fields, resources

from resources.curation.spreadsheets.applying import ApplyingRows
from resources.curation.spreadsheets.cells import (
    ChoiceWidget,
    DateWidget,
    KeepWhenBlankWidget,
    TextWidget,
    UrlWidget,
    YearWidget,
)
from resources.curation.spreadsheets.columns import (
    SLUG,
    TITLE,
    WEB_ADDRESS,
    KeywordsColumn,
    NameIndex,
    OrganisationWidget,
    PartnersColumn,
    VocabularyColumn,
)
from resources.curation.spreadsheets.reading import ReadingRows
from resources.models import (
    Organisation,
    Resource,
    ResourceAccess,
    ResourceFormat,
    ResourceKind,
    ResourceStatus,
)
from taxonomy.models import Term, Vocabulary


class ResourceSpreadsheet(ReadingRows, ApplyingRows, resources.ModelResource):
    title = fields.Field("title", TITLE, widget=TextWidget())
    url = fields.Field("url", WEB_ADDRESS, widget=UrlWidget())
    slug = fields.Field("slug", SLUG, widget=KeepWhenBlankWidget(), saves_null_values=False)
    kind = fields.Field(
        "kind", "Type", widget=ChoiceWidget(ResourceKind, "type"), saves_null_values=False
    )
    status = fields.Field(
        "status", "Status", widget=ChoiceWidget(ResourceStatus, "status"), saves_null_values=False
    )
    cited_urls = fields.Field("cited_urls", "Also cited as", widget=TextWidget())
    url_missing_reason = fields.Field(
        "url_missing_reason", "Why there is no web address", widget=TextWidget()
    )
    authors = fields.Field("authors", "Authors", widget=TextWidget())
    publisher = fields.Field("publisher", "Publisher", widget=OrganisationWidget())
    partners = PartnersColumn("Partners")
    year_published = fields.Field("year_published", "Year published", widget=YearWidget())
    last_updated_on = fields.Field("last_updated_on", "Date last updated", widget=DateWidget())
    access = fields.Field(
        "access", "Access", widget=ChoiceWidget(ResourceAccess, "kind of access", blank="")
    )
    format = fields.Field(
        "format", "Format", widget=ChoiceWidget(ResourceFormat, "format", blank="")
    )
    summary = fields.Field("summary", "Summary", widget=TextWidget())
    alternative_titles = fields.Field(
        "alternative_titles", "Alternative titles", widget=TextWidget()
    )
    keywords = KeywordsColumn("Keywords")
    curator_notes = fields.Field("curator_notes", "Curator notes", widget=TextWidget())
    evidence = fields.Field("evidence", "Evidence", widget=TextWidget())

    class Meta:
        model = Resource
        fields = [
            "title",
            "url",
            "slug",
            "kind",
            "status",
            "publisher",
            "partners",
            "year_published",
            "last_updated_on",
            "access",
            "format",
            "summary",
            "alternative_titles",
            "keywords",
            "curator_notes",
            "authors",
            "cited_urls",
            "url_missing_reason",
            "evidence",
        ]
        # Rows are matched in get_instance (normalised web address, then slug), so
        # import_id_fields stays at the default, which the library does not require in the file.
        skip_unchanged = True  # an unchanged row is reported as such and not written
        report_skipped = True
        use_transactions = True  # the whole import is one transaction
        skip_diff = True  # the preview lists each changed column, old → new, instead of a diff
        chunk_size = 1000  # export: rows fetched (with their terms) per query

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._organisations = None
        self.fields["publisher"].widget.index = self.organisations
        self.fields["partners"].index = self.organisations
        terms = defaultdict(list)
        for term in Term.objects.prefetch_related("former_slugs"):
            terms[term.vocabulary_id].append(term)
        vocabulary_fields = {
            f"vocabulary_{vocabulary.slug}": VocabularyColumn(vocabulary, terms[vocabulary.pk])
            for vocabulary in Vocabulary.objects.all()
        }
        order = list(self._meta.fields)
        order[order.index("keywords") : order.index("keywords")] = vocabulary_fields
        self.fields.update(vocabulary_fields)
        self.order = tuple(order)

    def organisations(self):
        if self._organisations is None:
            self._organisations = NameIndex(
                Organisation.objects.all(),
                "organisations",
                other_names=lambda organisation: [organisation.acronym],
            )
        return self._organisations

    @classmethod
    def get_display_name(cls):
        return "Resources"

    def get_export_order(self):
        return self.order

    def get_import_order(self):
        return self.order

    def column_name(self, key):
        """The column an error is about, from a model field's name or the column's own name."""
        for field in self.fields.values():
            if key in (field.attribute, field.column_name):
                return field.column_name
        return "" if key == NON_FIELD_ERRORS else key.replace("_", " ").capitalize()

    # Writing the file ---------------------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("publisher").prefetch_related(
            "partners", "terms", "keywords"
        )
