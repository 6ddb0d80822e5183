"""Email alerts for saved views (docs/decisions/0019-email-alerts.md).

- schedule.py: which period an email belongs to, and which subscriptions are due;
- tokens.py: the signed one-click unsubscribe link;
- content.py: the email itself, plain text and HTML, from its outbox row;
- sending.py: claiming a due subscription, sending its email and marking it sent;
- forms.py: subscribing to a view and changing how often.
"""

from resources.alerts.content import compose, site_url
from resources.alerts.forms import AlertForm
from resources.alerts.schedule import due_subscriptions, period_of
from resources.alerts.sending import Outcome, claim, send_alerts, send_email
from resources.alerts.tokens import subscription_for_token, unsubscribe_token

__all__ = [
    "AlertForm",
    "Outcome",
    "claim",
    "compose",
    "due_subscriptions",
    "period_of",
    "send_alerts",
    "send_email",
    "site_url",
    "subscription_for_token",
    "unsubscribe_token",
]
