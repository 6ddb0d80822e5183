"""The forms anyone can send without an account: suggest a resource, report a problem."""

from django import forms
from django.core.validators import URLValidator

from resources.models import ProblemKind
from resources.url_normalisation import validate_web_address


class WebAddressField(forms.URLField):
    """A web page's address: http or https only (no ftp:, javascript: or the like), and only
    the characters a URI may have."""

    default_validators = [URLValidator(schemes=["http", "https"]), validate_web_address]

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
