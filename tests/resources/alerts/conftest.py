"""People, a team, saved views and subscriptions for the email alert tests."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from resources.models import AlertFrequency, AlertSubscription
from tests.factories import (
    make_organisation,
    make_person,
    make_saved_view,
    make_team,
    make_term,
    make_vocabulary,
)

LONDON = ZoneInfo("Europe/London")
# Monday 30 November 2026, 07:00 in London: when the tests' subscriptions begin.
MONDAY = datetime(2026, 11, 30, 7, 0, tzinfo=LONDON)
SITE = "https://directory.example.nhs.uk"


def at(day, hour=7, minute=0):
    """A moment in the fortnight from MONDAY: day 0 is that Monday, 1 the Tuesday…"""
    return MONDAY.replace(hour=hour, minute=minute) + timedelta(days=day)


@dataclass
class World:
    race: object
    disability: object
    publisher: object
    team: object
    alex: object
    sam: object
    olu: object
    team_view: object
    own_view: object


@pytest.fixture(autouse=True)
def site_address(settings):
    settings.DIRECTORY_SITE_URL = SITE


@pytest.fixture
def world():
    """Alex and Sam are in Public health, which has a view of resources about Race; Alex also
    has a view of his own about Disability; Olu is in no team."""
    characteristic = make_vocabulary(
        slug="characteristic", name="Protected characteristic", position=1
    )
    race = make_term(vocabulary=characteristic, slug="race", name="Race")
    disability = make_term(vocabulary=characteristic, slug="disability", name="Disability")
    team = make_team(name="Public health", slug="public-health")
    alex = make_person(username="alex", email="alex@example.nhs.uk", teams=[team])
    sam = make_person(username="sam", email="sam@example.nhs.uk", teams=[team])
    olu = make_person(username="olu", email="olu@example.nhs.uk")
    return World(
        race=race,
        disability=disability,
        publisher=make_organisation(name="NHS England", slug="nhs-england"),
        team=team,
        alex=alex,
        sam=sam,
        olu=olu,
        team_view=make_saved_view(
            name="Race equality", team=team, owner=alex, query_string="characteristic=race"
        ),
        own_view=make_saved_view(
            name="Disability", owner=alex, query_string="characteristic=disability"
        ),
    )


def subscribe(user, view, frequency=AlertFrequency.DAILY, since=None):
    subscription = AlertSubscription.objects.create(
        user=user, saved_view=view, frequency=frequency, new_since_at=since or MONDAY
    )
    AlertSubscription.objects.filter(pk=subscription.pk).update(created_at=since or MONDAY)
    subscription.refresh_from_db()
    return subscription
