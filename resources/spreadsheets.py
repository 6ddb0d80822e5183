"""Spreadsheets in and out of the admin (django-import-export), with one set of columns for both.

An export can be edited in Excel and imported back: the same columns, the same way of writing
each value. Rows are matched to the catalogue by normalised web address, then by slug; anything
the spreadsheet names (a publisher, a term, a type) must already exist, or the row is refused
with its row number, the column and the value. An import with any refused row writes nothing.
See docs/decisions/0007-spreadsheets.md.
"""

import datetime
import re
from collections import defaultdict

import tablib
from django import forms
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm
from import_export.results import RowResult

from resources.actions import TransitionRefused, check_imported_status, set_status
from resources.links import normalise_url
from resources.models import (
    Organisation,
    Resource,
    ResourceAccess,
    ResourceFormat,
    ResourceKind,
    ResourceStatus,
)
from taxonomy.models import Term, Vocabulary

SEPARATOR = "; "  # between the values of a many-valued cell, on export
TITLE, WEB_ADDRESS, SLUG = "Title", "Web address", "Slug"
MIN_YEAR, MAX_YEAR = 1800, 2100


def cell_text(value):
    """A cell as text: Excel's numbers without a spurious ".0", Windows line endings made plain."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def header_key(header):
    """How a column heading is recognised: case, spacing, '_' and '-' do not matter."""
    return " ".join(cell_text(header).replace("_", " ").replace("-", " ").lower().split())


def quoted(values):
    values = [f"“{value}”" for value in values]
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " and " + values[-1]


# Widgets: each reads a cell the way a librarian writes it and writes it back the same way -------


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return cell_text(value)

    def render(self, value, obj=None, **kwargs):
        return value or ""


class UrlWidget(TextWidget):
    """A web address; one typed without its scheme gets https://, as the admin form assumes."""

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if text and "://" not in text and re.match(r"^[\w-]+(\.[\w-]+)+(/|$)", text):
            text = f"https://{text}"
        return text


class KeepWhenBlankWidget(TextWidget):
    """A blank cell leaves the value as it is (a new resource gets its default)."""

    def clean(self, value, row=None, **kwargs):
        return cell_text(value) or None


class ChoiceWidget(widgets.Widget):
    """One of a model's choices, written as its label ("Data tool") or its value ("data-tool")."""

    def __init__(self, choices, noun, *, blank=None):
        self.choices, self.noun, self.blank = choices, noun, blank
        self.lookup = {}
        for value, label in choices.choices:
            self.lookup[value.lower()] = value
            self.lookup[str(label).lower()] = value

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return self.blank
        try:
            return self.lookup[text.lower()]
        except KeyError:
            labels = ", ".join(str(label) for value, label in self.choices.choices if value)
            raise ValueError(
                f"“{text}” is not a {self.noun} we know. Use one of: {labels}."
            ) from None

    def render(self, value, obj=None, **kwargs):
        return str(self.choices(value).label) if value else ""


class YearWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        if not re.fullmatch(r"\d{4}", text):
            raise ValueError(f"“{text}” is not a year. Write it as four digits, e.g. 2021.")
        if not MIN_YEAR <= int(text) <= MAX_YEAR:
            raise ValueError(f"{text} is not a year between {MIN_YEAR} and {MAX_YEAR}.")
        return int(text)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else str(value)


class DateWidget(widgets.Widget):
    FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"]

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = cell_text(value)
        if not text:
            return None
        for pattern in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValueError(f"“{text}” is not a date. Write it as 2024-03-31 or 31/03/2024.")

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else value.isoformat()


class NameIndex:
    """Terms or organisations by their name and slug, then by their other names (synonyms,
    acronym), ignoring case. Built once per import."""

    def __init__(self, objects, noun, *, other_names):
        self.noun = noun
        self.preferred, self.others = defaultdict(list), defaultdict(list)
        for obj in objects:
            for name in {obj.name.lower(), obj.slug.lower()}:
                self.preferred[name].append(obj)
            for name in {name.lower() for name in other_names(obj) if name}:
                self.others[name].append(obj)

    def find(self, text):
        """The one object `text` names; ValueError saying why not."""
        key = text.lower()
        found = self.preferred.get(key) or self.others.get(key) or []
        if len(found) > 1:
            names = quoted(sorted(obj.name for obj in found))
            raise ValueError(f"“{text}” could mean {names}: write the full name.")
        if not found:
            raise LookupError(text)
        return found[0]

    def find_all(self, value):
        """Every object a cell names, separated by ";" (or by "," when that finds them)."""
        found, unknown = [], []
        for piece in cell_text(value).split(";"):
            piece = piece.strip()
            if not piece:
                continue
            try:
                found.append(self.find(piece))
                continue
            except LookupError:
                if "," not in piece:
                    unknown.append(piece)
                    continue
            for part in (part.strip() for part in piece.split(",")):
                try:
                    if part:
                        found.append(self.find(part))
                except LookupError:
                    unknown.append(part)
        if unknown:
            verb = "is not" if len(unknown) == 1 else "are not"
            raise ValueError(
                f"{quoted(unknown)} {verb} {self.noun} in the catalogue "
                "(check the spelling, or add it in the admin first)."
            )
        return list(dict.fromkeys(found))


class OrganisationWidget(widgets.Widget):
    """The publisher, by name, slug or acronym. `index` is set by the spreadsheet."""

    index = None

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        try:
            return self.index().find(text)
        except LookupError:
            raise ValueError(
                f"“{text}” is not an organisation in the catalogue (by name, slug or acronym); "
                "add it in the admin first."
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


def identity(row):
    """What a row is matched by: its normalised web address and its slug."""
    return normalise_url(UrlWidget().clean(row.get(WEB_ADDRESS))), cell_text(row.get(SLUG))


# Columns that are many-valued (partners, keywords, one per vocabulary) --------------------------


class ManyColumn(fields.Field):
    """A many-valued column: read into `parse(row)`, written after the resource is saved."""

    def __init__(self, column_name):
        super().__init__(attribute=None, column_name=column_name, saves_null_values=False)

    def parse(self, row):
        raise NotImplementedError

    def current(self, resource):
        raise NotImplementedError

    def comparable(self, values):
        return {value.pk for value in values}

    def apply(self, resource, values):
        raise NotImplementedError

    def export(self, instance, **kwargs):
        return SEPARATOR.join(self.names(instance))


class PartnersColumn(ManyColumn):
    index = None

    def parse(self, row):
        return self.index().find_all(row[self.column_name])

    def current(self, resource):
        return {partner.pk for partner in resource.partners.all()}

    def apply(self, resource, values):
        if resource._is_new:
            resource.partners.add(*values)
        else:
            resource.partners.set(values)

    def names(self, resource):
        return sorted((partner.name for partner in resource.partners.all()), key=str.lower)


class KeywordsColumn(ManyColumn):
    def parse(self, row):
        words = re.split(r"[;,]", cell_text(row[self.column_name]))
        words = {word.strip().lower(): word.strip() for word in words if word.strip()}
        return list(words.values())

    def comparable(self, values):
        return {value.lower() for value in values}

    def current(self, resource):
        return {tag.name.lower() for tag in resource.keywords.all()}

    def apply(self, resource, values):
        if resource._is_new:
            resource.keywords.add(*values)
        else:
            resource.keywords.set(values)

    def names(self, resource):
        return sorted((tag.name for tag in resource.keywords.all()), key=str.lower)


class VocabularyColumn(ManyColumn):
    """One vocabulary's terms, by name, slug or synonym; replaces that vocabulary's terms only."""

    def __init__(self, vocabulary, terms):
        super().__init__(vocabulary.name)
        self.vocabulary = vocabulary
        self.terms = terms
        self.index = NameIndex(
            terms, f"{vocabulary.name.lower()} terms", other_names=lambda term: term.synonym_list
        )

    def parse(self, row):
        return self.index.find_all(row[self.column_name])

    def current(self, resource):
        return {
            term.pk for term in resource.terms.all() if term.vocabulary_id == self.vocabulary.pk
        }

    def apply(self, resource, values):
        raise AssertionError("ResourceSpreadsheet.save_m2m sets every vocabulary's terms at once")

    def names(self, resource):
        return [
            term.name for term in resource.terms.all() if term.vocabulary_id == self.vocabulary.pk
        ]


# The spreadsheet ------------------------------------------------------------------------------

# Other headings a librarian might use for a column, beside its own name and the field's.
ALIASES = {
    "url": ["url", "link", "address", "web address"],
    "kind": ["type", "kind", "resource type"],
    "year_published": ["year", "published"],
    "last_updated_on": ["last updated", "updated"],
    "keywords": ["tags", "keywords and acronyms"],
    "alternative_titles": ["other titles", "also known as"],
}


class ResourceSpreadsheet(resources.ModelResource):
    title = fields.Field("title", TITLE, widget=TextWidget())
    url = fields.Field("url", WEB_ADDRESS, widget=UrlWidget())
    slug = fields.Field("slug", SLUG, widget=KeepWhenBlankWidget(), saves_null_values=False)
    kind = fields.Field(
        "kind", "Type", widget=ChoiceWidget(ResourceKind, "type"), saves_null_values=False
    )
    status = fields.Field(
        "status", "Status", widget=ChoiceWidget(ResourceStatus, "status"), saves_null_values=False
    )
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
        ]
        # Rows are matched in get_instance (normalised web address, then slug), so
        # import_id_fields stays at the default, which the library does not require in the file.
        skip_unchanged = True  # an unchanged row is reported as such and not written
        report_skipped = True
        use_transactions = True  # the whole import is one transaction
        skip_diff = True  # the preview lists the changed columns instead of a diff
        chunk_size = 1000  # export: rows fetched (with their terms) per query

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._organisations = None
        self.fields["publisher"].widget.index = self.organisations
        self.fields["partners"].index = self.organisations
        terms = defaultdict(list)
        for term in Term.objects.all():
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

    def many_columns(self):
        return [field for field in self.get_import_fields() if isinstance(field, ManyColumn)]

    def column_name(self, key):
        """The column an error is about, from a model field's name or the column's own name."""
        for field in self.fields.values():
            if key in (field.attribute, field.column_name):
                return field.column_name
        return "" if key == NON_FIELD_ERRORS else key.replace("_", " ").capitalize()

    # Reading the file ---------------------------------------------------------------------------

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
            found = Resource.objects.filter(normalised_url=url).first()
            if found is not None:
                return found
        if slug:
            return Resource.objects.filter(slug=slug).first()
        return None

    def import_instance(self, instance, row, **kwargs):
        instance._is_new = instance.pk is None
        was = None if instance._is_new else instance.status
        present = [field for field in self.get_import_fields() if field.column_name in row]
        instance._before = (
            {} if instance._is_new else {f: self.stored(f, instance) for f in present}
        )
        stored_url = instance.url
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if stored_url and normalise_url(instance.url) == normalise_url(stored_url):
            instance.url = stored_url  # the same page: keep the address as it was entered
        instance._many = {}
        for field in present:
            if isinstance(field, ManyColumn):
                try:
                    instance._many[field] = field.parse(row)
                except ValueError as error:
                    errors[field.column_name] = [str(error)]
        if "status" not in errors and (was is None or instance.status != was):
            try:
                check_imported_status(was, instance.status, by=kwargs["user"])
            except TransitionRefused as refusal:
                errors["status"] = [str(refusal)]
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def stored(field, resource):
        """A resource's value for a column as it would read back from an export."""
        if isinstance(field, ManyColumn):
            return field.current(resource)
        try:
            return field.widget.clean(field.export(resource))
        except ValueError:
            return field.get_value(resource)

    @staticmethod
    def imported(field, resource):
        if isinstance(field, ManyColumn):
            return field.comparable(resource._many[field])
        return field.get_value(resource)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Skip a row that changes nothing; note which columns an update changes."""
        if import_validation_errors or instance._is_new:
            return False
        self.row_changes = [
            field.column_name
            for field, before in instance._before.items()
            if self.imported(field, instance) != before
        ]
        return not self.row_changes

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            # The constraints' own checks would cost a query each; the widgets and
            # Resource.clean() (one resource per web address) cover what they check.
            # The publisher column was looked up already; checking it again would cost a query.
            exclude = {*errors, "publisher"}
            instance.full_clean(
                exclude=exclude, validate_unique=validate_unique, validate_constraints=False
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        by = kwargs["user"]
        if instance.pk is None:
            instance.created_by = by
        instance.updated_by = by
        set_status(instance, instance.status)
        # History is written for the whole import at its end, a few queries in all, rather than
        # two or three entries per row: see after_import.
        instance.skip_history_when_saving = True

    def save_m2m(self, instance, row, **kwargs):
        changed = {
            field: values
            for field, values in instance._many.items()
            if (values if instance._is_new else field.column_name in self.row_changes)
        }
        vocabularies = {
            field.vocabulary.pk: values
            for field, values in changed.items()
            if isinstance(field, VocabularyColumn)
        }
        terms = [term for values in vocabularies.values() for term in values]
        if instance._is_new:
            instance.terms.add(*terms)
        elif vocabularies:  # one write for every vocabulary's terms
            kept = [t for t in instance.terms.all() if t.vocabulary_id not in vocabularies]
            instance.terms.set([*kept, *terms])
        for field, values in changed.items():
            if not isinstance(field, VocabularyColumn):
                field.apply(instance, values)
        del instance.skip_history_when_saving
        self.written.append(instance)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        failed = result.has_errors() or result.has_validation_errors()
        if not kwargs.get("dry_run") and not failed:
            reason = f"Imported from {kwargs.get('file_name') or 'a spreadsheet'}"[:100]
            record_history(self.written, by=kwargs["user"], reason=reason)
        result.ignored_columns = getattr(self, "ignored_columns", [])
        result.recognised_columns = getattr(self, "recognised_columns", [])

    # Writing the file ---------------------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("publisher").prefetch_related(
            "partners", "terms", "keywords"
        )


def record_history(resources, *, by, reason):
    """The history entries (with terms and partners) for resources saved without them, in a few
    queries: what simple-history writes on each save, for a whole import at once."""
    new = [resource for resource in resources if resource._is_new]
    changed = [resource for resource in resources if not resource._is_new]
    records = {}
    for group, update in [(new, False), (changed, True)]:
        if group:
            created = Resource.history.bulk_history_create(
                group, update=update, default_user=by, default_change_reason=reason
            )
            records.update({record.id: record for record in created})
    for name in ["terms", "partners"]:  # Resource's HistoricalRecords(m2m_fields=…)
        through = getattr(Resource, name).through
        history_model = apps.get_model(
            Resource._meta.app_label, f"Historical{through._meta.object_name}"
        )
        columns = [field.attname for field in through._meta.fields]
        pks = sorted(records)
        for start in range(0, len(pks), 500):
            links = through.objects.filter(resource__in=pks[start : start + 500])
            history_model.objects.bulk_create(
                history_model(
                    history=records[link.resource_id],
                    **{column: getattr(link, column) for column in columns},
                )
                for link in links
            )


class SpreadsheetCSV(CSV):
    """CSV as spreadsheets save it: UTF-8 with or without a byte-order mark (or Windows-1252 from
    older Excel), Windows line endings. Exports carry the byte-order mark, so Excel reads the
    accents and dashes correctly."""

    def is_binary(self):
        return True  # decoded here, not by the admin, so that a second encoding can be tried

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            try:
                in_stream = in_stream.decode("utf-8-sig")
            except UnicodeDecodeError:
                in_stream = in_stream.decode("cp1252", errors="replace")
        return tablib.import_set(in_stream, format="csv", **kwargs)

    def export_data(self, dataset, **kwargs):
        return ("\ufeff" + super().export_data(dataset, **kwargs)).encode("utf-8")


FORMATS = [SpreadsheetCSV, XLSX]
EXTENSIONS = {".csv": 0, ".xlsx": 1}


class SpreadsheetImportForm(ImportForm):
    """The import form; the format is told from the file name when it is left unchosen."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["import_file"].label = "Spreadsheet"
        self.fields[
            "import_file"
        ].help_text = "A CSV file or an Excel workbook (.xlsx) whose first row names the columns."
        self.fields["format"].required = False
        self.fields["format"].help_text = "Leave unchosen to tell it from the file name."
        self.fields["format"].choices = [
            ("", "From the file name"),
            *[(value, label.upper()) for value, label in self.fields["format"].choices if value],
        ]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload and not cleaned.get("format"):
            extension = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            if extension in EXTENSIONS:
                cleaned["format"] = str(EXTENSIONS[extension])
            else:
                self.add_error(
                    "format",
                    forms.ValidationError(
                        "Choose the file's format: this file's name does not end in .csv or .xlsx."
                    ),
                )
        return cleaned
