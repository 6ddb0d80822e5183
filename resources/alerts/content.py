"""The alert email: what is new in a saved view, as plain text and as accessible HTML, with
absolute links (there is no request in a command: settings.DIRECTORY_SITE_URL) and the
one-click unsubscribe headers of RFC 8058."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse

from resources.alerts.tokens import unsubscribe_token
from resources.exports import DIRECTORY_NAME
from resources.finder import Finder
from resources.models import AlertFrequency, Resource
from taxonomy.models import vocabularies_with_terms

# An email lists this many resources at most, then links to the view for the rest.
LISTED = 50


def site_url(path):
    return f"{settings.DIRECTORY_SITE_URL}{path}"


def one_line(text):
    """Text for a header: no line breaks (a name typed with one must not add a header)."""
    return " ".join(str(text).split())


def compose(email):
    """The message for an AlertEmail row, or None if none of its resources is published now (a
    resource withdrawn since the row was written is left out: drafts never go out)."""
    subscription = email.subscription
    view = subscription.saved_view
    resources = Resource.objects.published().for_listing().in_order(email.resource_ids)
    if not resources:
        return None
    finder = Finder(QueryDict(view.query_string), vocabularies_with_terms())
    token = unsubscribe_token(subscription)
    unsubscribe_url = site_url(reverse("resources:alert-unsubscribe", args=[token]))
    count = len(resources)
    context = {
        "directory_name": DIRECTORY_NAME,
        "view": view,
        "in_words": finder.headline(),
        "count": count,
        "resources": [
            {
                "title": resource.title,
                "publisher": resource.publisher.name if resource.publisher else "",
                "kind": resource.get_kind_display(),
                "url": site_url(resource.get_absolute_url()),
            }
            for resource in resources[:LISTED]
        ],
        "more": max(count - LISTED, 0),
        "how_often": "day" if subscription.frequency == AlertFrequency.DAILY else "week",
        "since": email.new_since_at,
        "view_url": site_url(view.get_absolute_url()),
        "settings_url": site_url(reverse("resources:saved-view-alert", args=[view.pk])),
        "unsubscribe_url": unsubscribe_url,
    }
    subject = one_line(
        f"{count} new in “{view.name}” – {DIRECTORY_NAME}"
        if count != 1
        else f"1 new in “{view.name}” – {DIRECTORY_NAME}"
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("resources/alerts/alert_email.txt", context),
        to=[subscription.user.email],
        headers={
            "Message-ID": email.message_id,
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string("resources/alerts/alert_email.html", context), "text/html"
    )
    return message
