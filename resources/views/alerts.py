"""Email alerts for saved views: following a view, changing how often or stopping, and the
one-click unsubscribe link in each email (docs/decisions/0019-email-alerts.md)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from resources.alerts import AlertForm, subscription_for_token
from resources.models import AlertSubscription
from resources.views.saved_views import saved_view_for


def alert_page(request, view, subscription, form):
    context = {"saved_view": view, "subscription": subscription, "form": form}
    return render(request, "resources/alertsubscription_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def saved_view_alert(request, pk):
    """Follow a saved view by email, or change how often: for anyone who can open the view."""
    view = saved_view_for(request, pk)
    subscription = AlertSubscription.objects.filter(user=request.user, saved_view=view).first()
    initial = {"frequency": subscription.frequency if subscription else None}
    form = AlertForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "GET" or not request.user.email or not form.is_valid():
        return alert_page(request, view, subscription, form)
    frequency = form.cleaned_data["frequency"]
    how_often = "every day" if frequency == "daily" else "every week"
    if subscription:
        subscription.frequency = frequency
        subscription.save(update_fields=["frequency"])
        messages.success(request, f"You will now get emails about “{view.name}” {how_often}.")
    else:
        AlertSubscription.objects.create(
            user=request.user, saved_view=view, frequency=frequency, new_since_at=timezone.now()
        )
        messages.success(
            request,
            f"Subscribed. We will email {request.user.email} {how_often} when something new "
            f"appears in “{view.name}”.",
        )
    return redirect("resources:saved-view-alert", view.pk)


@login_required
@require_POST
def saved_view_alert_stop(request, pk):
    view = saved_view_for(request, pk)
    deleted, _ = AlertSubscription.objects.filter(user=request.user, saved_view=view).delete()
    if deleted:
        messages.success(request, f"Stopped. You will get no more emails about “{view.name}”.")
    return redirect("resources:saved-view-alert", view.pk)


@csrf_protect
def confirm_unsubscribe(request, token):
    """The page behind the link: a GET asks (link scanners open links but do not press
    buttons); its button posts back here, with a CSRF token."""
    try:
        subscription = subscription_for_token(token)
    except signing.BadSignature:
        return render(
            request, "resources/alertsubscription_stop.html", {"bad_link": True}, status=400
        )
    if request.method == "POST" and subscription is not None:
        subscription.delete()
        return render(
            request,
            "resources/alertsubscription_stop.html",
            {"stopped": True, "saved_view": subscription.saved_view},
        )
    return render(request, "resources/alertsubscription_stop.html", {"subscription": subscription})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def alert_unsubscribe(request, token):
    """The unsubscribe link in each email, for people not signed in. A mail program's one-click
    unsubscribe (RFC 8058: a POST whose body is List-Unsubscribe=One-Click) stops the emails at
    once and needs no CSRF token, having no session; anything else goes through the page."""
    if request.method == "POST" and request.POST.get("List-Unsubscribe") == "One-Click":
        try:
            subscription = subscription_for_token(token)
        except signing.BadSignature:
            return render(
                request, "resources/alertsubscription_stop.html", {"bad_link": True}, status=400
            )
        if subscription is not None:
            subscription.delete()
        return render(
            request,
            "resources/alertsubscription_stop.html",
            {"stopped": True, "saved_view": subscription.saved_view if subscription else None},
        )
    return confirm_unsubscribe(request, token)
