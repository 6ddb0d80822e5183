"""Reading an import: recognising the file's columns by their headings, refusing a resource
listed twice, finding the resource each row is about, and reporting each row's problems."""

from django.core.exceptions import ValidationError
from import_export.results import RowResult

from resources.curation.spreadsheets.cells import cell_text, header_key, quoted
from resources.curation.spreadsheets.columns import (
    SLUG,
    TITLE,
    WEB_ADDRESS,
    VocabularyColumn,
    identity,
)
from resources.models import Resource

# Other headings a librarian might use for a column, beside its own name and the field's.
ALIASES = {
    "url": ["url", "link", "address", "web address"],
    "kind": ["type", "kind", "resource type"],
    "year_published": ["year", "published"],
    "last_updated_on": ["last updated", "updated"],
    "keywords": ["tags", "keywords and acronyms"],
    "alternative_titles": ["other titles", "also known as"],
}


class ReadingRows:
    """ResourceSpreadsheet's mixin for reading the file, row by row (django-import-export's hooks)."""

    def import_data(self, dataset, **kwargs):
        self.written = []
        return super().import_data(dataset, **kwargs)

    def before_import(self, dataset, **kwargs):
        """Recognise the columns by their headings; find web addresses and slugs used twice."""
        aliases = {}  # vocabularies first, so that a fixed column wins a clash of names
        by_kind = sorted(
            self.fields.items(), key=lambda item: not isinstance(item[1], VocabularyColumn)
        )
        for name, field in by_kind:
            names = [field.column_name, name, *ALIASES.get(name, [])]
            if isinstance(field, VocabularyColumn):
                names.append(field.vocabulary.slug)
            for alias in names:
                aliases[header_key(alias)] = field.column_name
        headers, self.ignored_columns = [], []
        for header in dataset.headers or []:
            column = aliases.get(header_key(header))
            if column is None:
                if cell_text(header):
                    self.ignored_columns.append(cell_text(header))
                column = cell_text(header) or f"(column {len(headers) + 1})"
            headers.append(column)
        known = [header for header in headers if header in aliases.values()]
        twice = sorted({header for header in known if known.count(header) > 1})
        if not known or twice:
            del dataset[0 : len(dataset)]  # nothing to go on: do not try row by row
            if twice:
                raise ValueError(
                    f"The column {quoted(twice)} appears more than once; keep one of each."
                )
            raise ValueError(
                "None of this file's columns is one we know, so nothing can be imported. The "
                "first row must name the columns, as an export does: "
                + ", ".join(field.column_name for field in self.get_import_fields())
                + "."
            )
        dataset.headers = headers
        self.recognised_columns = known
        self.first_row_with = {}
        for number, row in enumerate(dataset.dict, start=2):
            url, slug = identity(row)
            for key in (f"url:{url}" if url else None, f"slug:{slug}" if slug else None):
                if key:
                    self.first_row_with.setdefault(key, number)

    def import_row(self, row, instance_loader, **kwargs):
        number = kwargs["row_number"] + 1  # the spreadsheet's own numbering: headings are row 1
        if not any(cell_text(value) for value in row.values()):
            row_result = self.get_row_result_class()()
            row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            row_result.number, row_result.is_blank = number, True
            return row_result
        self.row_changes = []
        row_result = super().import_row(row, instance_loader, **kwargs)
        row_result.number, row_result.is_blank = number, False
        row_result.title = cell_text(row.get(TITLE)) or row_result.object_repr or ""
        row_result.url = cell_text(row.get(WEB_ADDRESS))
        row_result.changes = self.row_changes
        row_result.problems = []
        if row_result.validation_error is not None:
            for key, messages in row_result.validation_error.message_dict.items():
                row_result.problems += [(self.column_name(key), message) for message in messages]
        for error in row_result.errors:
            row_result.problems.append(("", str(error.error)))
        return row_result

    def before_import_row(self, row, **kwargs):
        number = kwargs["row_number"] + 1
        url, slug = identity(row)
        if url and self.first_row_with.get(f"url:{url}", number) != number:
            first = self.first_row_with[f"url:{url}"]
            raise ValidationError(
                {WEB_ADDRESS: f"Row {first} has the same web address; list a resource once."}
            )
        if slug and self.first_row_with.get(f"slug:{slug}", number) != number:
            first = self.first_row_with[f"slug:{slug}"]
            raise ValidationError({SLUG: f"Row {first} has the same slug; list a resource once."})

    def get_instance(self, instance_loader, row):
        """The resource a row is about: the one at its web address, else the one with its slug."""
        url, slug = identity(row)
        if url:
            found = Resource.objects.at_address(url).first()
            if found is not None:
                return found
        if slug:
            return Resource.objects.filter(slug=slug).first()
        return None
