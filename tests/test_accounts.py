import os
import re
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from resources.models import Team
from tests.factories import make_person, make_team, make_user

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
PASSWORD = "a-long-test-password"


def test_sign_in_page_is_in_the_sites_own_style(client):
    response = client.get(LOGIN)
    assertContains(response, '<a class="skip-link" href="#main-content">Skip to main content</a>')
    assertContains(response, "<h1>Sign in</h1>", html=True)
    assertContains(response, '<label class="label" for="id_username">Username</label>', html=True)
    assertContains(response, "the directory’s staff create accounts")
    assertContains(response, f'<a href="{reverse("password_reset")}">Forgotten your password?</a>')


def test_signing_in_goes_to_my_saved_views_and_the_header_names_the_person(client):
    make_person(username="alex", first_name="Alex", last_name="Jones")
    response = client.post(LOGIN, {"username": "alex", "password": PASSWORD}, follow=True)
    assertRedirects(response, reverse("resources:saved-views"))
    assertContains(response, "Alex Jones")
    assertContains(
        response,
        f'<a href="{reverse("resources:saved-views")}" aria-current="page">My saved views</a>',
        html=True,
    )
    assertContains(response, '<button class="site-account__button" type="submit">Sign out</button>')
    assertNotContains(response, ">Sign in</a>")


def test_signing_in_returns_to_the_page_it_came_from(client):
    make_person(username="alex")
    response = client.post(
        LOGIN,
        {"username": "alex", "password": PASSWORD, "next": "/resources/?kind=tool"},
    )
    assertRedirects(response, "/resources/?kind=tool", fetch_redirect_response=False)


def test_signing_in_never_sends_someone_to_another_site(client):
    make_person(username="alex")
    response = client.post(
        LOGIN, {"username": "alex", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assertRedirects(response, reverse("resources:saved-views"))


def test_a_wrong_password_says_so_without_saying_which_part_was_wrong(client):
    make_person(username="alex")
    response = client.post(LOGIN, {"username": "alex", "password": "wrong"})
    assertContains(response, "There is a problem")
    assertContains(response, "Please enter a correct username and password.")
    assert "_auth_user_id" not in client.session


def test_the_header_offers_sign_in_back_to_the_same_page(client):
    response = client.get("/organisations/")
    assertContains(response, f'<a href="{LOGIN}?next=/organisations/">Sign in</a>', html=True)
    assertNotContains(response, "Sign out")


def test_signing_out_is_a_post_that_goes_home(client):
    client.force_login(make_person())
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("logout"))
    assertRedirects(response, reverse("resources:home"))
    assert "_auth_user_id" not in client.session


def test_sign_in_and_sign_out_need_their_csrf_token():
    person = make_person(username="alex")
    client = Client(enforce_csrf_checks=True)
    assert client.post(LOGIN, {"username": "alex", "password": PASSWORD}).status_code == 403
    client.force_login(person)
    assert client.post(reverse("logout")).status_code == 403
    assert "_auth_user_id" in client.session
    page = client.get(reverse("resources:home"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assertRedirects(response, reverse("resources:home"))


def test_changing_your_password(client):
    person = make_person()
    client.force_login(person)
    url = reverse("password_change")
    assertContains(client.get(url), "<h1>Change your password</h1>", html=True)
    response = client.post(
        url, {"old_password": "wrong", "new_password1": "x", "new_password2": "y"}
    )
    assertContains(response, "Your old password was entered incorrectly.")
    new = "a-new-and-longer-password"
    response = client.post(
        url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new}, follow=True
    )
    assertRedirects(response, reverse("password_change_done"))
    assertContains(response, "Your password has been changed")
    person.refresh_from_db()
    assert person.check_password(new)


def test_resetting_a_forgotten_password_by_email(client):
    person = make_person(username="alex", email="alex@example.nhs.uk")
    response = client.post(reverse("password_reset"), {"email": "alex@example.nhs.uk"})
    assertRedirects(response, reverse("password_reset_done"))
    (email,) = mail.outbox
    assert email.subject == "Reset your password for the Health Inequalities Resource Directory"
    assert "Your username is alex." in email.body
    link = re.search(r"http://testserver(/accounts/reset/\S+)", email.body)[1]

    response = client.get(link, follow=True)
    assertContains(response, "<h1>Choose a new password</h1>", html=True)
    new = "a-new-and-longer-password"
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": new, "new_password2": new},
        follow=True,
    )
    assertContains(response, "Your new password is saved")
    person.refresh_from_db()
    assert person.check_password(new)
    # The link works once.
    assertContains(client.get(link, follow=True), "This link has expired")


def test_a_reset_for_an_unknown_address_looks_the_same_and_says_there_is_no_account(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.nhs.uk"})
    assertRedirects(response, reverse("password_reset_done"))
    (email,) = mail.outbox
    assert email.to == ["nobody@example.nhs.uk"]
    assert email.subject == (
        "No account with this email address on the Health Inequalities Resource Directory"
    )
    assert "no account has it, so there is no password to reset" in email.body
    assert "http://testserver/accounts/password_reset/" in email.body


def test_there_is_no_public_sign_up(client):
    assert client.get("/accounts/signup/").status_code == 404
    assert client.get("/accounts/register/").status_code == 404


def test_staff_add_a_team_and_its_members_in_the_admin(client):
    alex, sam = make_person(username="alex"), make_person(username="sam")
    client.force_login(make_user(is_superuser=True))
    add = reverse("admin:resources_team_add")
    assertContains(client.get(add), 'class="selectfilter"')
    response = client.post(
        add,
        {
            "name": "Public health",
            "slug": "public-health",
            "description": "",
            "members": [alex.pk, sam.pk],
        },
    )
    assertRedirects(response, reverse("admin:resources_team_changelist"))
    team = Team.objects.get()
    assert set(team.members.all()) == {alex, sam}
    assertContains(client.get(reverse("admin:resources_team_changelist")), "Public health")


def test_the_curator_roles_are_not_teams(client):
    librarian = make_user(groups=["Librarian"])
    make_team(name="Public health", slug="public-health", members=[make_person()])
    assert Group.objects.filter(name="Librarian").exists()
    assert not Team.objects.filter(name="Librarian").exists()
    client.force_login(librarian)
    response = client.get(reverse("resources:saved-views"))
    assert response.context["teams"] == []
    assertContains(response, "You have no saved views yet.</p>")
    assert client.get("/teams/librarian/").status_code == 404


def email_settings(environment):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.pop("DEFAULT_FROM_EMAIL", None)
    code = (
        "from directory import settings; "
        "print(settings.EMAIL_BACKEND); print(settings.DEFAULT_FROM_EMAIL)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env | environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.splitlines()


def test_password_reset_emails_print_to_the_console_unless_configured():
    backend, sender = email_settings({})
    assert backend == "django.core.mail.backends.console.EmailBackend"
    assert "noreply@" in sender
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    assert email_settings(
        {"DJANGO_EMAIL_BACKEND": smtp, "DEFAULT_FROM_EMAIL": "hi@example.nhs.uk"}
    ) == [
        smtp,
        "hi@example.nhs.uk",
    ]


def test_the_admins_change_password_page_uses_the_same_form(client):
    client.force_login(make_user())
    response = client.get(reverse("admin:password_change"))
    assertContains(response, "<h1>Change your password</h1>", html=True)
    assertContains(response, f'action="{reverse("password_change")}"')


@pytest.mark.parametrize("name", ["password_change", "password_reset"])
def test_the_password_forms_need_their_csrf_token(name):
    person = make_person(email="alex@example.nhs.uk")
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    data = {"email": "alex@example.nhs.uk", "old_password": PASSWORD}
    assert client.post(reverse(name), data).status_code == 403
    assertContains(client.get(reverse(name)), 'name="csrfmiddlewaretoken"')
    assert mail.outbox == []


# Sign-in throttling (django-axes) -----------------------------------------------------------

ADMIN_LOGIN = reverse("admin:login")


def guess(client, url, username, times):
    for number in range(times):
        client.post(url, {"username": username, "password": f"guess-{number}"})


def lock_out(client, username):
    """Enough wrong passwords to lock `username`, checked: the right one is then refused."""
    guess(client, LOGIN, username, settings.AXES_FAILURE_LIMIT)
    assert client.post(LOGIN, {"username": username, "password": PASSWORD}).status_code == 429


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_thirty_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(client, url):
    make_user(username="alex")
    guess(client, url, "alex", 30)
    response = client.post(url, {"username": "alex", "password": PASSWORD})
    assert response.status_code == 429
    assertContains(response, "Sign-in to this account is paused for 15 minutes", status_code=429)
    assert "_auth_user_id" not in client.session


def test_a_failed_sign_in_records_the_client_behind_a_trusted_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    make_user(username="alex")
    client.post(
        LOGIN,
        {"username": "alex", "password": "wrong"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7",
    )
    assert AccessAttempt.objects.get(username="alex").ip_address == "203.0.113.7"


def test_the_lockout_is_per_account_and_starts_at_the_limit(client, settings):
    make_person(username="alex")
    make_person(username="sam")
    guess(client, LOGIN, "alex", settings.AXES_FAILURE_LIMIT - 1)
    response = client.post(LOGIN, {"username": "alex", "password": "still-wrong"})
    assertContains(response, "Sign-in to this account is paused", status_code=429)
    # Another account from the same connection still signs in.
    response = client.post(LOGIN, {"username": "sam", "password": PASSWORD})
    assertRedirects(response, reverse("resources:saved-views"))


def test_a_locked_account_signs_in_again_after_the_pause(client, settings):
    make_person(username="alex")
    lock_out(client, "alex")
    paused_at = timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=paused_at)
    response = client.post(LOGIN, {"username": "alex", "password": PASSWORD})
    assertRedirects(response, reverse("resources:saved-views"), fetch_redirect_response=False)


def test_staff_unlock_an_account_with_the_command(client):
    make_person(username="alex")
    lock_out(client, "alex")
    call_command("axes_reset_username", "alex", stdout=StringIO())
    response = client.post(LOGIN, {"username": "alex", "password": PASSWORD})
    assertRedirects(response, reverse("resources:saved-views"))


def test_staff_unlock_an_account_in_the_admin(client):
    make_person(username="alex")
    lock_out(client, "alex")
    admin = Client()
    admin.force_login(make_user(is_superuser=True))
    changelist = reverse("admin:axes_accessattempt_changelist")
    assertContains(admin.get(changelist), "alex")
    (attempt,) = AccessAttempt.objects.filter(username="alex")
    admin.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    response = client.post(LOGIN, {"username": "alex", "password": PASSWORD})
    assertRedirects(response, reverse("resources:saved-views"))


# Password reset limits and timing -----------------------------------------------------------

RESET = reverse("password_reset")


def test_password_reset_links_to_one_address_are_limited(client, settings):
    make_person(email="alex@example.nhs.uk")
    for _ in range(settings.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR):
        assertRedirects(
            client.post(RESET, {"email": "alex@example.nhs.uk"}), reverse("password_reset_done")
        )
    response = client.post(RESET, {"email": "Alex@example.nhs.uk"}, REMOTE_ADDR="192.0.2.9")
    assertContains(response, "Please try again after", status_code=429)
    assert len(mail.outbox) == settings.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR


def test_an_unknown_address_is_limited_as_a_known_one_is(client, settings):
    for _ in range(settings.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR):
        client.post(RESET, {"email": "nobody@example.nhs.uk"})
    response = client.post(RESET, {"email": "nobody@example.nhs.uk"})
    assertContains(response, "Please try again after", status_code=429)


def test_password_reset_requests_from_one_client_are_limited(client, settings):
    make_person(email="alex@example.nhs.uk")
    for number in range(settings.PASSWORD_RESETS_PER_CLIENT_PER_HOUR):
        client.post(RESET, {"email": f"someone{number}@example.nhs.uk"})
    response = client.post(RESET, {"email": "alex@example.nhs.uk"})
    assertContains(response, "Please try again after", status_code=429)
    assert "alex@example.nhs.uk" not in [message.to[0] for message in mail.outbox]
    # Another client may still ask.
    response = client.post(RESET, {"email": "alex@example.nhs.uk"}, REMOTE_ADDR="192.0.2.9")
    assertRedirects(response, reverse("password_reset_done"))
    assert mail.outbox[-1].to == ["alex@example.nhs.uk"]


class SlowEmailBackend(locmem.EmailBackend):
    """Django's test outbox, taking as long as a slow mail server to accept each email."""

    def send_messages(self, messages):
        time.sleep(SLOW_SEND_SECONDS)
        return super().send_messages(messages)


SLOW_SEND_SECONDS = 0.5


def test_a_known_address_is_answered_in_the_same_time_as_an_unknown_one(client, settings):
    """Both send one email, so even a mail server taking half a second to take each one makes
    no difference an attacker could time."""
    settings.EMAIL_BACKEND = f"{__name__}.SlowEmailBackend"
    make_person(email="alex@example.nhs.uk")
    timings = {"known": [], "unknown": []}
    for number in range(3):
        for kind, email in (("known", "alex@example.nhs.uk"), ("unknown", f"x{number}@a.nhs.uk")):
            started = time.perf_counter()
            response = client.post(RESET, {"email": email})
            timings[kind].append(time.perf_counter() - started)
            assertRedirects(response, reverse("password_reset_done"))
    known, unknown = (statistics.median(timings[kind]) for kind in ("known", "unknown"))
    assert abs(known - unknown) < SLOW_SEND_SECONDS / 5, timings
