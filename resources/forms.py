from django import forms
from django.db.models.functions import Lower
from django.utils import timezone

from resources.models import Resource, SavedView

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


class SavedViewForm(forms.ModelForm):
    """Name and describe a saved view; when it is new, choose whose it is: yours or a team's.

    The instance arrives with its owner (and query string) set; `teams` are the teams the person
    may save for (none when editing)."""

    class Meta:
        model = SavedView
        fields = ["name", "description", "team"]
        labels = {"name": "Name", "description": "Description (optional)", "team": "Save for"}
        help_texts = {
            "name": "Something you and your colleagues will recognise, such as “Race equality for commissioners”.",
            "description": "What the view is for, or who it helps.",
        }
        widgets = {
            "name": forms.TextInput(attrs={"class": "input", "autocomplete": "off"}),
            "description": forms.Textarea(attrs={"class": "textarea", "rows": 3}),
        }
        error_messages = {
            "name": {
                "required": "Enter a name for this view.",
                "max_length": "The name must be 100 characters or fewer (it has %(show_value)d).",
            }
        }

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        if teams is None:
            del self.fields["team"]
        else:
            team = self.fields["team"]
            team.queryset = teams
            team.empty_label = "Just me"
            team.widget = forms.RadioSelect(choices=team.choices)
            team.error_messages["invalid_choice"] = "Choose yourself or one of your teams."

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        if name:
            team = cleaned.get("team") if "team" in self.fields else self.instance.team
            same = SavedView.objects.annotate(lower_name=Lower("name")).filter(
                lower_name=name.lower(), team=team
            )
            if team is None:
                same = same.filter(owner=self.instance.owner)
            if same.exclude(pk=self.instance.pk).exists():
                whose = f"The team {team.name} already has" if team else "You already have"
                self.add_error(
                    "name", f"{whose} a saved view called “{name}”. Choose another name."
                )
        return cleaned
