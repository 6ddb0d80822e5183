"""The shipped ways in by role: they load, every pick is a published resource the audience's
finder view shows, and the builder refuses a page or pick that would not."""

import re
from io import StringIO

import pytest
import yaml
from django.core.management import call_command

from resources.curation import catalogue_fixture as catalogue
from resources.curation import catalogue_source
from resources.models import AUDIENCE_VOCABULARY, WayIn
from taxonomy.models import Term, with_narrower
from tests.resources.curation.test_catalogue_fixture import ORGANISATIONS

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(db):
    call_command("load_catalogue", stdout=StringIO())


def test_the_shipped_catalogue_has_a_published_page_for_the_main_roles(shipped):
    slugs = set(WayIn.objects.published().values_list("term__slug", flat=True))
    assert slugs >= {
        "nurses",
        "medical-staff",
        "commissioners",
        "analysts",
        "team-leaders-managers",
        "senior-system-leaders",
    }
    assert set(WayIn.objects.values_list("term__vocabulary__slug", flat=True)) == {
        AUDIENCE_VOCABULARY
    }


def test_every_shipped_pick_is_published_and_in_its_audiences_finder_view(shipped):
    audience_terms = list(Term.objects.filter(vocabulary__slug=AUDIENCE_VOCABULARY))
    for way_in in WayIn.objects.prefetch_related("picks__resource__terms"):
        within = with_narrower([way_in.term], audience_terms)
        picks = list(way_in.picks.all())
        assert 3 <= len(picks) <= 6, way_in
        for pick in picks:
            assert pick.resource.status == "published", (way_in, pick)
            assert {term.pk for term in pick.resource.terms.all()} & within, (way_in, pick)


def test_every_shipped_introduction_is_two_or_three_sentences_in_our_own_words(shipped):
    for way_in in WayIn.objects.all():
        sentences = re.findall(r"[.!?](?:\s|$)", way_in.introduction)
        assert 2 <= len(sentences) <= 3, way_in
        assert not catalogue.SOURCE_PAGE_MENTION.search(way_in.introduction), way_in


def test_the_shipped_role_pages_are_reachable_and_keep_their_first_version(client, shipped):
    for way_in in WayIn.objects.published():
        assert way_in.history.count() == 1
        response = client.get(way_in.get_absolute_url())
        assert response.status_code == 200
        assert len(response.context["picks"]) == way_in.picks.count()


TAXONOMY = [
    {
        "slug": "audience",
        "name": "Audience",
        "terms": [
            {"slug": "frontline", "name": "Frontline staff"},
            {"slug": "nurses", "name": "Nurses", "parent": "frontline"},
            {"slug": "analysts", "name": "Analysts"},
        ],
    }
]
RESOURCES = [
    {
        "title": "For nurses",
        "url": "https://a.org/1",
        "kind": "report",
        "terms": {"audience": ["nurses"]},
    },
    {
        "title": "For analysts",
        "url": "https://a.org/2",
        "kind": "report",
        "terms": {"audience": ["analysts"]},
    },
]


@pytest.fixture
def source(tmp_path, monkeypatch):
    monkeypatch.setattr(catalogue_source, "SOURCE_DIR", tmp_path)

    def write(ways_in):
        (tmp_path / "taxonomy.yaml").write_text(yaml.safe_dump(TAXONOMY))
        (tmp_path / "organisations.yaml").write_text(yaml.safe_dump(ORGANISATIONS))
        (tmp_path / "resources-001.yaml").write_text(yaml.safe_dump({"resources": RESOURCES}))
        (tmp_path / "ways-in.yaml").write_text(yaml.safe_dump(ways_in))

    return write


def test_a_broader_roles_page_may_pick_what_a_narrower_role_is_tagged_with(source):
    source([{"audience": "frontline", "introduction": "Hello.", "picks": ["for-nurses"]}])
    objects = catalogue.Builder().build()
    [pick] = [row["fields"] for row in objects if row["model"] == "resources.wayinpick"]
    assert pick == {"way_in": 1, "resource": 1, "position": 1}


def test_the_builder_refuses_bad_ways_in_with_every_problem(source):
    source(
        [
            {"audience": "nurses", "introduction": "As seed 001 says.", "picks": ["for-analysts"]},
            {"audience": "nurses", "picks": ["for-nurses", "for-nurses", "no-such-resource"]},
            {"audience": "astronauts", "picks": []},
        ]
    )
    with pytest.raises(catalogue.CatalogueError) as error:
        catalogue.Builder().build()
    problems = "\n".join(error.value.problems)
    assert "its public introduction mentions a source page" in problems
    assert "pick 'for-analysts' is not tagged for nurses" in problems
    assert "a second page for this audience" in problems
    assert "pick 'for-nurses' is listed twice" in problems
    assert "pick 'no-such-resource' is not a resource" in problems
    assert "unknown audience 'astronauts'" in problems
