"""Naming a saved view, and choosing whose it is."""

from django import forms
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from resources.models import SavedView


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

    def save_unless_name_taken(self):
        """Save a valid form; a name taken in the meantime is an error on the form, not a 500."""
        try:
            with transaction.atomic():
                return self.save()
        except IntegrityError:
            self.add_error(
                "name", "A saved view with this name was saved just now. Choose another name."
            )
            return None
