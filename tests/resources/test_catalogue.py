"""The shipped catalogue: it loads, it is well formed, and it covers the seed pages."""

import re
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from resources.curation.catalogue_source import SOURCE_DIR
from resources.models import Organisation, Resource, ResourceStatus
from taxonomy.models import Term, Vocabulary
from tests.factories import make_resource

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"


@pytest.fixture
def catalogue(db):
    call_command("loaddata", "catalogue", verbosity=0)


def test_catalogue_json_is_built_from_the_current_source():
    call_command("build_catalogue", check=True)


def test_catalogue_loads_with_the_expected_scale(catalogue):
    assert Resource.objects.published().count() > 200
    assert Organisation.objects.count() > 50
    assert Vocabulary.objects.count() >= 6
    assert set(Vocabulary.objects.values_list("slug", flat=True)) >= {
        "domain",
        "characteristic",
        "group",
        "audience",
        "topic",
        "core20plus5",
    }


def test_every_url_is_a_well_formed_web_address(catalogue):
    for resource in Resource.objects.exclude(url=""):
        parts = urlsplit(resource.url)
        assert parts.scheme in {"http", "https"} and parts.hostname, resource.url
        assert not re.search(r"\s", resource.url), resource.url
        assert resource.normalised_url, resource.url


def test_no_two_resources_share_a_normalised_url(catalogue):
    urls = list(
        Resource.objects.exclude(normalised_url="").values_list("normalised_url", flat=True)
    )
    assert len(urls) == len(set(urls))


def test_every_published_resource_has_a_term_and_a_publisher_or_a_reason(catalogue):
    for resource in Resource.objects.published().prefetch_related("terms"):
        notes = resource.curator_notes.lower()
        assert resource.terms.exists() or "no term" in notes, (
            f"{resource} has no terms and no reason"
        )
        if resource.publisher_id is None:
            assert "publisher" in notes, f"{resource} has no publisher and no reason"


def test_every_term_has_a_definition_and_acronyms_are_searchable(catalogue):
    assert not Term.objects.filter(definition="").exists()
    text = "\n".join(Term.objects.values_list("synonyms", flat=True))
    for acronym in ["BAME", "GRT", "IMD", "HEAT", "MECC", "PCN", "VCSE", "HiAP"]:
        assert re.search(rf"^{acronym}$", text, re.MULTILINE), acronym


def test_terms_carry_the_everyday_words_people_type(catalogue):
    words = {
        ("characteristic", "race"): ["BAME", "ethnic minority", "ethnicity"],
        ("characteristic", "sexual-orientation"): ["LGBT", "gay"],
        ("characteristic", "gender-reassignment"): ["LGBT", "trans", "transgender"],
        ("group", "vulnerable-migrants"): ["refugees", "asylum seekers"],
        ("group", "homelessness"): ["rough sleepers"],
        ("group", "offenders"): ["prison", "prisoners"],
    }
    for (vocabulary, slug), expected in words.items():
        term = Term.objects.get(vocabulary__slug=vocabulary, slug=slug)
        assert set(expected) <= set(term.synonym_list), term.name


def test_organisations_and_vocabularies_never_cite_a_source_page_in_public_text(catalogue):
    cites_a_seed = re.compile(r"\b00[0-4]\b|\bseeds?\b", re.IGNORECASE)
    public_text = [
        *Organisation.objects.values_list("name", "description"),
        *Vocabulary.objects.values_list("name", "description"),
        *Term.objects.values_list("name", "definition"),
    ]
    assert [name for name, text in public_text if cites_a_seed.search(text)] == []


def test_albert_bandura_is_an_author_not_a_publishing_organisation(catalogue):
    assert not Organisation.objects.filter(name="Albert Bandura").exists()
    bandura = Resource.objects.get(
        url="https://albertbandura.com/albert-bandura-self-efficacy.html"
    )
    assert bandura.publisher is None
    assert "personal site" in bandura.curator_notes


def test_lineage_is_as_the_seeds_state_it(catalogue):
    phe = Organisation.objects.get(acronym="PHE")
    assert [successor.acronym for successor in phe.successors] == ["OHID", "UKHSA"]
    assert str(phe.succeeded_on) == "2021-10-01"
    assert Organisation.objects.get(name="Health Education England").current.name == "NHS England"


def test_the_seed_collections_are_in_the_catalogue(catalogue):
    titles = set(Resource.objects.values_list("title", flat=True))
    for title in [
        "Health Equity Assessment Tool (HEAT)",
        "Build Back Fairer: The COVID-19 Marmot Review",
        "Marmot Review 10 Years On",
    ]:
        assert title in titles


def seed_001_urls():
    """Every web address in seed 001, with addresses broken across lines joined up.

    The page writes each link twice, as `[text \\(url\\)](url)` or `[text](url) (<url>)`, and
    breaks a few long addresses after a hyphen.
    """
    text = (SEEDS / "001_f94c846d5efd2226.txt").read_text(encoding="utf-8")
    text = re.sub(
        r"(https?://[^\s()<>\\\]]*-)\n((?:[A-Za-z0-9-]+-?\n)*[A-Za-z0-9-]+)",
        lambda match: match.group(1) + match.group(2).replace("\n", ""),
        text,
    )
    return {match.group(0).rstrip(".,;") for match in re.finditer(r"https?://[^\s<>\\\])]+", text)}


@pytest.mark.skipif(not SEEDS.exists(), reason="the seed pages live in ../shared/seeds")
def test_every_link_in_the_all_our_health_page_is_catalogued_or_excluded_with_a_reason():
    data = yaml.safe_load((SOURCE_DIR / "resources-001.yaml").read_text(encoding="utf-8"))
    accounted = {row["url"] for row in data["excluded"] if row.get("reason")}
    for source in ["resources-001.yaml", "resources-other.yaml"]:
        rows = yaml.safe_load((SOURCE_DIR / source).read_text(encoding="utf-8"))["resources"]
        for row in rows:
            accounted.add(row["url"])
            accounted.update(row.get("also_linked_as") or [])
    missing = sorted(url for url in seed_001_urls() if url not in accounted)
    assert not missing, missing


def test_every_published_resource_is_public_status(catalogue):
    assert set(Resource.objects.values_list("status", flat=True)) == {ResourceStatus.PUBLISHED}


def test_load_catalogue_fills_an_empty_database(db):
    out = StringIO()
    call_command("load_catalogue", stdout=out)
    assert f"Loaded the shipped catalogue: {Resource.objects.count()} resources." in out.getvalue()


def test_load_catalogue_leaves_a_curated_database_alone(db):
    make_resource(title="Added by a librarian")
    out = StringIO()
    call_command("load_catalogue", stdout=out)
    assert "already holds 1 resources; leaving it as it is" in out.getvalue()
    assert list(Resource.objects.values_list("title", flat=True)) == ["Added by a librarian"]
