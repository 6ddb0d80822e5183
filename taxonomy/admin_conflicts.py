"""Refusing a save over a colleague's: two curators open the same record, the first saves, and
the second's save is refused with who saved it, when, and what they changed, so nothing is
overwritten silently. The resource, organisation, term and vocabulary admins all use it (it lives
here because taxonomy may not import from resources).

The change form carries, in a hidden field, the record's values as they were in the database when
the form was opened: the values of the fields the form writes. On saving, those are compared with
the database's values now; any that differ were saved by someone else in between. The values are
read from the database, not from the record on the page: a version being reverted to is an old
record, and what the curator opened over is the current one."""

import json

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.utils import timezone
from django.utils.text import Truncator
from simple_history.models import to_historic

VERSION_FIELD = "loaded_version"
SHOWN_CHARACTERS = 120  # of a long value, in the message


class RefusesSavingOverNewer(forms.ModelForm):
    """A change form that refuses to save over a save made after it was opened."""

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_values = {}
        if self.instance.pk is not None:
            self.current_values = self.stored_values()
            self.fields[VERSION_FIELD].initial = json.dumps(
                {"opened_at": timezone.now().isoformat(), "values": self.current_values}
            )

    def watched_fields(self):
        """The model fields this form writes."""
        opts = self._meta.model._meta
        return [
            field
            for field in [*opts.concrete_fields, *opts.many_to_many]
            if field.name in self.fields and field.editable
        ]

    def stored_values(self):
        """The database's values of the fields this form writes, comparable and JSON-ready."""
        stored = self.instance
        if to_historic(stored) is not None:  # reverting: compare with the record as it is now
            stored = self._meta.model._default_manager.get(pk=stored.pk)
        values = {}
        for field in self.watched_fields():
            if field.many_to_many:
                values[field.name] = sorted(item.pk for item in field.value_from_object(stored))
            elif field.value_from_object(stored) is None:
                values[field.name] = None
            else:
                values[field.name] = field.value_to_string(stored)
        return values

    def clean(self):
        cleaned = super().clean()
        opened = self.data.get(self.add_prefix(VERSION_FIELD))
        if self.instance.pk is None or not opened:
            return cleaned
        try:
            opened = json.loads(opened)
            opened_at, values = opened["opened_at"], opened["values"]
        except (ValueError, KeyError, TypeError):
            raise forms.ValidationError(
                "This form could not tell which version you opened; open it again and make your "
                "changes once more."
            ) from None
        changed = [
            field
            for field in self.watched_fields()
            if field.name in values and values[field.name] != self.current_values[field.name]
        ]
        if changed:
            raise forms.ValidationError(self.conflict_message(opened_at, values, changed))
        return cleaned

    def conflict_message(self, opened_at, values, changed):
        name = self._meta.model._meta.verbose_name
        changes = "; ".join(
            f"{field.verbose_name}: “{self.shown(field, values[field.name])}” → "
            f"“{self.shown(field, self.current_values[field.name])}”"
            for field in changed
        )
        return (
            f"{self.saved_by(name, opened_at)}, so your changes were not saved (nothing was "
            f"overwritten). What they changed: {changes}. Open the {name} again to see their "
            "version, then make your changes once more."
        )

    def saved_by(self, name, opened_at):
        """Who saved the record since `opened_at`, and when, where its history says."""
        history = getattr(self.instance, "history", None)
        newer = list(history.filter(history_date__gt=opened_at)) if history is not None else []
        if not newer:
            return f"A colleague saved this {name} after you opened it"
        who = ", ".join(sorted({str(record.history_user or "someone") for record in newer}))
        when = timezone.localtime(newer[0].history_date).strftime("%H:%M")
        return f"{who} saved this {name} at {when}, after you opened it"

    @staticmethod
    def shown(field, value):
        """A stored value as a curator reads it."""
        if value is None:
            return ""
        if field.many_to_many:
            items = field.related_model._default_manager.filter(pk__in=value)
            return "; ".join(sorted(str(item) for item in items))
        if field.is_relation:
            related = field.related_model._default_manager.filter(pk=value).first()
            return str(related or "")
        if field.choices:
            value = dict(field.flatchoices).get(value, value)
        return Truncator(value).chars(SHOWN_CHARACTERS)


class RefuseSavingOverNewer:
    """Admin mixin: its change form refuses a save over a colleague's newer save."""

    form = RefusesSavingOverNewer

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or VERSION_FIELD in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], VERSION_FIELD]}), *rest]
