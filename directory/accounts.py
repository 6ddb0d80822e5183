"""Signing in and resetting a password, beyond what django.contrib.auth does
(docs/decisions/0017-sign-in-and-csp.md).

- `locked_out` is django-axes' lockout page: after too many failed sign-ins for one username
  (settings.AXES_FAILURE_LIMIT), every sign-in form answers 429 with how long the pause lasts.
- `PasswordResetView` limits reset requests per email address and per client, and its form
  does the same work for a known address as for an unknown one (one lookup, one email), so
  both are answered in the same time.
"""

import logging
import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMessage
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from resources.submissions.ratelimit import RateLimit, client_address

logger = logging.getLogger(__name__)


def locked_out(request, original_response=None, credentials=None):
    """The page every sign-in form answers while its username is locked (AXES_LOCKOUT_CALLABLE).
    The pause restarts with each refused attempt, so it is counted from now."""
    cool_off = get_cool_off(request)
    context = {
        "minutes": math.ceil(cool_off.total_seconds() / 60),
        "retry_at": timezone.localtime() + cool_off,
    }
    return render(request, "registration/locked_out.html", context, status=429)


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, doing the same work whatever the address: one lookup, then one
    email, either the reset link to each account with that address or, where none has it, a
    note saying so (useful to someone who tried the wrong address, and the same work for us)."""

    users = None

    def get_users(self, email):
        if self.users is None:
            self.users = list(super().get_users(email))
        return self.users

    def save(self, *, request=None, use_https=False, from_email=None, **options):
        super().save(request=request, use_https=use_https, from_email=from_email, **options)
        if self.users:
            return
        email = self.cleaned_data["email"]
        context = {
            "email": email,
            "domain": get_current_site(request).domain,
            "protocol": "https" if use_https else "http",
        }
        subject = render_to_string("registration/password_reset_no_account_subject.txt", context)
        body = render_to_string("registration/password_reset_no_account_email.txt", context)
        try:
            EmailMessage(subject.strip(), body, from_email, [email]).send()
        except Exception:
            logger.exception("Failed to send the no-account password reset email")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, limited per email address and per client (counted for every valid
    request, known address or not, so the limit tells nothing either)."""

    form_class = PasswordResetForm

    def limits(self, email):
        return [
            RateLimit(
                "reset-to-address",
                email.casefold(),
                settings.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR,
            ),
            RateLimit(
                "reset-from-client",
                client_address(self.request),
                settings.PASSWORD_RESETS_PER_CLIENT_PER_HOUR,
            ),
        ]

    def form_valid(self, form):
        limits = self.limits(form.cleaned_data["email"])
        exceeded = [limit for limit in limits if limit.is_exceeded()]
        if exceeded:
            context = self.get_context_data(
                form=form, retry_at=max(limit.retry_at() for limit in exceeded)
            )
            return self.render_to_response(context, status=429)
        for limit in limits:
            limit.hit()
        return super().form_valid(form)
