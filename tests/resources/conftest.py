"""Fixtures shared by the resources tests."""

import pytest

from tests.factories import make_term, make_vocabulary


@pytest.fixture
def taxonomy():
    """Two vocabularies: audience (frontline staff has a narrower term) and characteristic."""
    audience = make_vocabulary(slug="audience", name="Audience", position=1)
    characteristic = make_vocabulary(
        slug="characteristic", name="Protected characteristic", position=2
    )
    terms = {
        "commissioners": make_term(vocabulary=audience, slug="commissioners", name="Commissioners"),
        "frontline": make_term(vocabulary=audience, slug="frontline", name="Frontline staff"),
        "race": make_term(
            vocabulary=characteristic,
            slug="race",
            name="Race",
            synonyms="BAME\nethnicity",
            definition="Race, ethnicity and nationality.",
        ),
        "disability": make_term(vocabulary=characteristic, slug="disability", name="Disability"),
        "age": make_term(vocabulary=characteristic, slug="age", name="Age"),
    }
    terms["pharmacy"] = make_term(
        vocabulary=audience,
        slug="pharmacy",
        name="Pharmacy teams",
        parent=terms["frontline"],
    )
    return terms
