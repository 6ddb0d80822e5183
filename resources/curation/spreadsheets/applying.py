"""Applying an import's rows: what each row changes (an unchanged row is skipped), who may set
which status, the many-valued columns written after the resource is saved, and the history of the
whole import written at its end."""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError

from resources.curation.spreadsheets.columns import ManyColumn, VocabularyColumn
from resources.curation.workflow import TransitionRefused, check_imported_status, set_status
from resources.models import Resource
from resources.url_normalisation import normalise_url


@dataclass(frozen=True)
class Change:
    """One column an update changes: its value as an export writes it now, and as it will be."""

    column: str
    before: str
    after: str


class ApplyingRows:
    """ResourceSpreadsheet's mixin for writing each row to a resource (django-import-export's
    hooks)."""

    def import_instance(self, instance, row, **kwargs):
        instance._is_new = instance.pk is None
        was = None if instance._is_new else instance.status
        present = [field for field in self.get_import_fields() if field.column_name in row]
        instance._before = (
            {} if instance._is_new else {f: self.stored(f, instance) for f in present}
        )
        instance._before_text = {
            f: f.export(instance) for f in instance._before if not isinstance(f, ManyColumn)
        }
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

    @staticmethod
    def change(field, resource):
        """What a column of an update changes, written as an export writes it. Before saving, a
        many-valued column still reads its stored values from the database."""
        if isinstance(field, ManyColumn):
            before, after = field.export(resource), field.written(resource._many[field])
        else:
            before, after = resource._before_text[field], field.export(resource)
        return Change(field.column_name, before, after)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Skip a row that changes nothing; note what an update changes, column by column."""
        if import_validation_errors or instance._is_new:
            return False
        self.row_changes = [
            self.change(field, instance)
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
        changed_columns = {change.column for change in self.row_changes}
        changed = {
            field: values
            for field, values in instance._many.items()
            if (values if instance._is_new else field.column_name in changed_columns)
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
