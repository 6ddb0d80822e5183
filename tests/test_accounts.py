import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
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


def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.nhs.uk"})
    assertRedirects(response, reverse("password_reset_done"))
    assert mail.outbox == []


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
