from django import forms
from django.core.validators import URLValidator
from django.db.models.functions import Lower
from django.utils import timezone

from resources.models import ProblemKind, Resource, SavedView

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


class WebAddressField(forms.URLField):
    """A web page's address: http or https only (no ftp:, javascript: or the like)."""

    default_validators = [URLValidator(schemes=["http", "https"])]

    def __init__(self, **kwargs):
        super().__init__(assume_scheme="https", **kwargs)


def optional_email_field(purpose):
    """Your email address, optional, saying what it is used for."""
    return forms.EmailField(
        label="Your email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        max_length=254,
        required=False,
        help_text=f"{purpose} We use it for nothing else and never show it on the site.",
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Enter an email address of %(limit_value)d characters or fewer",
        },
    )


class PublicForm(forms.Form):
    """A form anyone can send: a honeypot, and errors listed for a summary at the top.

    The honeypot is a field people never see (it is moved off screen, out of the tab order and
    hidden from screen readers) but form-filling robots fill in. A submission with it filled in
    is answered as a success and thrown away.
    """

    HONEYPOT = "homepage"

    homepage = forms.CharField(
        label="Leave this empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.questions():
            widget = field.field.widget
            if not isinstance(widget, forms.RadioSelect):
                widget.attrs.setdefault(
                    "class", "textarea" if isinstance(widget, forms.Textarea) else "input"
                )

    def is_spam(self):
        return bool(self.data.get(self.HONEYPOT, "").strip())

    def questions(self):
        """The fields a person fills in (everything but the honeypot)."""
        return [field for field in self if field.name != self.HONEYPOT]

    def honeypot(self):
        return self[self.HONEYPOT]


class SuggestionForm(PublicForm):
    title = forms.CharField(
        max_length=300,
        error_messages={
            "required": "Enter the title of the resource",
            "max_length": "Enter a title of %(limit_value)d characters or fewer",
        },
    )
    url = WebAddressField(
        label="Web address",
        max_length=1000,
        required=False,
        help_text="Where to find it, starting with https://",
        widget=forms.URLInput(attrs={"spellcheck": "false"}),
        error_messages={
            "invalid": "Enter a web address that starts with http:// or https://, like https://www.example.org/report",
            "max_length": "Enter a web address of %(limit_value)d characters or fewer",
        },
    )
    summary = forms.CharField(
        label="What it is",
        max_length=2000,
        required=False,
        help_text="A sentence or two: what it covers and who it helps.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Describe it in %(limit_value)d characters or fewer"},
    )
    publisher = forms.CharField(
        label="Who publishes it",
        max_length=200,
        required=False,
        help_text="The organisation, for example NHS England or The King’s Fund.",
        error_messages={"max_length": "Enter a publisher of %(limit_value)d characters or fewer"},
    )
    email = optional_email_field("Only if you would like us to contact you about this suggestion.")


class ProblemReportForm(PublicForm):
    kind = forms.ChoiceField(
        label="What is wrong?",
        choices=ProblemKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what is wrong",
            "invalid_choice": "Choose what is wrong",
        },
    )
    message = forms.CharField(
        label="Tell us more",
        max_length=2000,
        help_text="For example, where the link goes now, or which details have changed.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Tell us what is wrong",
            "max_length": "Tell us in %(limit_value)d characters or fewer",
        },
    )
    email = optional_email_field("Only if you would like to hear what we did about it.")


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
