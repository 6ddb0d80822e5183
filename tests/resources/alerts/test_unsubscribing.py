"""The unsubscribe link in each email works without signing in: a GET asks first (link
scanners open links), its button posts with a CSRF token, a mail program's RFC 8058 one-click
POST stops at once, and a tampered or spent link gets a clear page, never an error."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from resources.alerts import unsubscribe_token
from resources.alerts.tokens import SALT
from resources.models import AlertSubscription
from tests.resources.alerts.conftest import subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client():
    """A browser that checks CSRF as a real one does (the test client skips it by default)."""
    return Client(enforce_csrf_checks=True)


def link(subscription):
    return reverse("resources:alert-unsubscribe", args=[unsubscribe_token(subscription)])


def test_opening_the_link_asks_before_unsubscribing(strict_client, world):
    subscription = subscribe(world.sam, world.team_view)

    page = strict_client.get(link(subscription))

    assertContains(page, "<h1>Stop emails about “Race equality”?</h1>", html=True)
    assertContains(page, "These emails go to sam@example.nhs.uk each day")
    assertContains(
        page, '<button class="button button--warning" type="submit">Unsubscribe</button>', html=True
    )
    assertContains(page, 'name="csrfmiddlewaretoken"')
    assert AlertSubscription.objects.filter(pk=subscription.pk).exists()


def test_the_confirmation_button_unsubscribes_with_a_csrf_token(strict_client, world):
    subscription = subscribe(world.sam, world.team_view)
    page = strict_client.get(link(subscription))
    token = page.context["csrf_token"]

    response = strict_client.post(link(subscription), {"csrfmiddlewaretoken": str(token)})

    assertContains(response, "<h1>Unsubscribed</h1>", html=True)
    assertContains(response, "You will get no more emails about “Race equality”.")
    assert not AlertSubscription.objects.exists()


def test_a_post_without_a_csrf_token_or_one_click_body_is_refused(strict_client, world):
    subscription = subscribe(world.sam, world.team_view)

    response = strict_client.post(link(subscription), {"List-Unsubscribe": "Yes please"})

    assert response.status_code == 403
    assert AlertSubscription.objects.exists()


def test_a_mail_programs_one_click_post_unsubscribes_without_a_csrf_token(strict_client, world):
    """RFC 8058: the mail program POSTs List-Unsubscribe=One-Click to the header's URL, with no
    cookies and no CSRF token."""
    subscription = subscribe(world.sam, world.team_view)
    other = subscribe(world.alex, world.team_view)

    response = strict_client.post(
        link(subscription),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert list(AlertSubscription.objects.all()) == [other]


def test_a_tampered_link_gets_a_clear_message(client, world):
    subscription = subscribe(world.sam, world.team_view)
    token = unsubscribe_token(subscription)
    forged = signing.dumps([subscription.pk, world.sam.pk], salt="another purpose")
    for bad in (token[:-3] + "abc", token.replace(":", "x", 1), forged, "nonsense"):
        url = reverse("resources:alert-unsubscribe", args=[bad])
        for response in (
            client.get(url),
            client.post(
                url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
            ),
        ):
            assertContains(response, "This unsubscribe link does not work", status_code=400)
    assert AlertSubscription.objects.exists()


def test_a_token_signed_for_a_different_person_finds_nothing(client, world):
    subscription = subscribe(world.sam, world.team_view)
    mismatched = signing.dumps([subscription.pk, world.alex.pk], salt=SALT)

    response = client.post(
        reverse("resources:alert-unsubscribe", args=[mismatched]),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert AlertSubscription.objects.exists()


def test_an_old_link_for_emails_already_stopped_says_so(client, world):
    subscription = subscribe(world.sam, world.team_view)
    url = link(subscription)
    subscription.delete()
    subscribe(world.sam, world.team_view)  # subscribed again: a new link, the old one is spent

    page = client.get(url)

    assertContains(page, "<h1>Already unsubscribed</h1>", html=True)
    assert AlertSubscription.objects.exists()


def test_the_confirmation_page_costs_one_query(client, world, django_assert_num_queries):
    subscription = subscribe(world.sam, world.team_view)
    with django_assert_num_queries(1):
        response = client.get(link(subscription))
    assertContains(response, "Unsubscribe</button>")
