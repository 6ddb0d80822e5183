"""Following a saved view by email from its page: subscribe, change how often, stop. Only
people who can open the view can follow it; everyone else gets the view's 404."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from resources.models import AlertFrequency, AlertSubscription
from tests.resources.alerts.conftest import subscribe

pytestmark = pytest.mark.django_db


def alert_url(view):
    return reverse("resources:saved-view-alert", args=[view.pk])


def stop_url(view):
    return reverse("resources:saved-view-alert-stop", args=[view.pk])


def test_a_team_member_subscribes_to_a_team_view_weekly(client, world):
    client.force_login(world.sam)
    page = client.get(alert_url(world.team_view))
    assertContains(page, "<h1>Email alerts for “Race equality”</h1>", html=True)
    assertContains(page, "It goes to sam@example.nhs.uk.")
    assertContains(page, "these emails are yours alone, and each member chooses their own")

    response = client.post(alert_url(world.team_view), {"frequency": "weekly"}, follow=True)

    subscription = AlertSubscription.objects.get()
    assert (subscription.user, subscription.saved_view) == (world.sam, world.team_view)
    assert subscription.frequency == AlertFrequency.WEEKLY
    assertContains(
        response,
        "Subscribed. We will email sam@example.nhs.uk every week when something new appears "
        "in “Race equality”.",
    )
    assertContains(response, "You get an email each week when something new appears")


def test_each_member_follows_a_team_view_separately(client, world):
    subscribe(world.alex, world.team_view, AlertFrequency.DAILY)
    client.force_login(world.sam)

    page = client.get(alert_url(world.team_view))
    assertContains(page, "Subscribe</button>")  # Alex's subscription is not Sam's
    client.post(alert_url(world.team_view), {"frequency": "weekly"})

    assert {(s.user.username, s.frequency) for s in AlertSubscription.objects.all()} == {
        ("alex", "daily"),
        ("sam", "weekly"),
    }


def test_changing_how_often_keeps_one_subscription(client, world):
    subscription = subscribe(world.alex, world.own_view, AlertFrequency.DAILY)
    client.force_login(world.alex)

    response = client.post(alert_url(world.own_view), {"frequency": "weekly"}, follow=True)

    assertContains(response, "You will now get emails about “Disability” every week.")
    assert list(AlertSubscription.objects.values_list("pk", "frequency")) == [
        (subscription.pk, "weekly")
    ]


def test_stopping_ends_the_subscription(client, world):
    subscribe(world.alex, world.own_view)
    client.force_login(world.alex)

    response = client.post(stop_url(world.own_view), follow=True)

    assertContains(response, "Stopped. You will get no more emails about “Disability”.")
    assert not AlertSubscription.objects.exists()
    assertContains(response, "Subscribe</button>")


def test_choosing_neither_daily_nor_weekly_says_so(client, world):
    client.force_login(world.alex)
    for data in ({}, {"frequency": "hourly"}):
        response = client.post(alert_url(world.own_view), data)
        assertContains(response, "Choose daily or weekly.")
    assert not AlertSubscription.objects.exists()


def test_someone_without_an_email_address_is_told_and_cannot_subscribe(client, world):
    world.alex.email = ""
    world.alex.save()
    client.force_login(world.alex)

    page = client.get(alert_url(world.own_view))
    assertContains(page, "Your account has no email address")
    assertNotContains(page, "Subscribe</button>")
    client.post(alert_url(world.own_view), {"frequency": "daily"})

    assert not AlertSubscription.objects.exists()


@pytest.mark.parametrize("who", ["olu", "sam"])
def test_people_who_cannot_open_the_view_get_a_404(client, world, who):
    """Olu is in no team; Sam is in Alex's team but the view is Alex's own."""
    client.force_login(getattr(world, who))
    assert client.get(alert_url(world.own_view)).status_code == 404
    assert client.post(alert_url(world.own_view), {"frequency": "daily"}).status_code == 404
    assert client.post(stop_url(world.own_view)).status_code == 404
    assert not AlertSubscription.objects.exists()


def test_someone_not_signed_in_is_sent_to_sign_in(client, world):
    url = alert_url(world.team_view)
    assertRedirects(client.get(url), f"{reverse('login')}?next={url}")


def test_the_saved_view_page_offers_alerts_and_says_how_often_they_come(client, world):
    client.force_login(world.sam)
    results = reverse("resources:saved-view-results", args=[world.team_view.pk])
    page = client.get(results + "?characteristic=race")
    assertContains(
        page,
        f'<a href="{alert_url(world.team_view)}">Get an email when something new appears here</a>',
        html=True,
    )
    subscribe(world.sam, world.team_view, AlertFrequency.WEEKLY)

    page = client.get(results + "?characteristic=race")

    assertContains(page, "You get weekly emails when something new appears here.")


def test_my_saved_views_says_which_views_i_follow(client, world):
    subscribe(world.alex, world.team_view, AlertFrequency.DAILY)
    client.force_login(world.sam)
    page = client.get(reverse("resources:saved-views"))
    assertNotContains(page, "you get daily emails")  # Alex's, not Sam's
    subscribe(world.sam, world.team_view, AlertFrequency.WEEKLY)

    page = client.get(reverse("resources:saved-views"))

    assertContains(page, "<strong>you get weekly emails</strong>", html=True)
    assertContains(page, 'Change email alerts<span class="visually-hidden"> for Race equality')


def test_the_alert_page_costs_five_queries(client, world, django_assert_num_queries):
    """Session, user, the view, the person's subscription, the view's team."""
    subscribe(world.sam, world.team_view)
    client.force_login(world.sam)
    with django_assert_num_queries(5):
        response = client.get(alert_url(world.team_view))
    assertContains(response, "Save how often</button>")
