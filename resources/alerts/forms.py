"""Subscribing to a saved view's email alerts, or changing how often they come."""

from django import forms

from resources.models import AlertFrequency


class AlertForm(forms.Form):
    frequency = forms.ChoiceField(
        label="How often",
        choices=[
            (AlertFrequency.DAILY, "Daily: one email a day, when something is new"),
            (AlertFrequency.WEEKLY, "Weekly: one email a week, on Mondays, when something is new"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose daily or weekly.",
            "invalid_choice": "Choose daily or weekly.",
        },
    )
