"""The unsubscribe link in every alert: signed, so it works without signing in and cannot be
made up for someone else's subscription. It names the subscription and its person; it does not
expire (an unsubscribe link in an old email must still work), and once the subscription has
ended it finds nothing (a new subscription to the same view is a new row, with a new link)."""

from django.core import signing

from resources.models import AlertSubscription

SALT = "resources.alerts.unsubscribe"


def unsubscribe_token(subscription):
    return signing.dumps([subscription.pk, subscription.user_id], salt=SALT)


def subscription_for_token(token):
    """The subscription the token names, or None if it has ended. Raises signing.BadSignature
    for a token that was not made here (mistyped, cut short or tampered with)."""
    value = signing.loads(token, salt=SALT)
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)):
        raise signing.BadSignature("Not an unsubscribe token.")
    pk, user_pk = value
    return (
        AlertSubscription.objects.select_related("saved_view", "user")
        .filter(pk=pk, user_id=user_pk)
        .first()
    )
