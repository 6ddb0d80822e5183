"""Vocabularies, terms and publishers as plain objects, never saved: the finder's selection and
description are pure Python, so their tests run without the database."""

import pytest
from django.http import QueryDict

from resources.finder.selection import read_selection
from resources.models import Organisation
from taxonomy.models import Term, Vocabulary

AUDIENCE = Vocabulary(slug="audience", name="Audience")
CHARACTERISTIC = Vocabulary(slug="characteristic", name="Protected characteristic")
TERMS = {
    "audience": [
        Term(slug="commissioners", name="Commissioners"),
        Term(slug="frontline", name="Frontline staff"),
    ],
    "characteristic": [
        Term(slug="race", name="Race"),
        Term(slug="disability", name="Disability"),
        Term(slug="age", name="Age"),
    ],
}
PUBLISHERS = {
    "nhs-england": Organisation(slug="nhs-england", name="NHS England"),
    "ohid": Organisation(slug="ohid", name="Office for Health Improvement and Disparities"),
}


@pytest.fixture
def read():
    """The selection a query string asks for; `read.asked` lists the publisher look-ups made."""

    def find_publishers(slugs):
        read.asked.append(slugs)
        return {slug: PUBLISHERS[slug] for slug in slugs if slug in PUBLISHERS}

    def read(query):
        vocabularies = [AUDIENCE, CHARACTERISTIC]
        return read_selection(
            QueryDict(query), vocabularies, terms=TERMS, find_publishers=find_publishers
        )

    read.asked = []
    return read
