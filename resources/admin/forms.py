"""The resource change form: refuses to save over a colleague's newer save."""

from django import forms
from django.utils import timezone

from resources.models import Resource

# Fields whose changes are worth naming to a librarian whose save was refused.
WATCHED = ["title", "url", "kind", "summary", "publisher", "year_published", "access", "status"]


class ResourceAdminForm(forms.ModelForm):
    """Refuses to save over someone else's newer save: the second librarian is told what changed."""

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Resource
        fields = ["title"]  # the admin's fieldsets decide the fields it shows

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        loaded = self.data.get(self.add_prefix("loaded_version"))
        if self.instance.pk and loaded:
            current = (
                Resource.objects.filter(pk=self.instance.pk)
                .values_list("updated_at", flat=True)
                .first()
            )
            if current is not None and current.isoformat() != loaded:
                raise forms.ValidationError(self.conflict_message(loaded))
        return cleaned

    def conflict_message(self, loaded):
        history = self.instance.history.order_by("history_date")
        newer = list(history.filter(updated_at__gt=loaded))
        opened = history.filter(updated_at__lte=loaded).last()
        who = ", ".join(sorted({str(record.history_user or "someone") for record in newer}))
        changes = []
        if newer and opened is not None:
            for change in newer[-1].diff_against(opened, included_fields=WATCHED).changes:
                changes.append(f"{change.field.replace('_', ' ')}: “{change.old}” → “{change.new}”")
        when = timezone.localtime(newer[-1].history_date).strftime("%H:%M") if newer else "just now"
        return (
            f"{who or 'Someone'} saved this resource at {when}, after you opened it, so your "
            "changes were not saved (nothing was overwritten). "
            + (f"What they changed: {'; '.join(changes)}. " if changes else "")
            + "Open the resource again to see their version, then make your changes once more."
        )
