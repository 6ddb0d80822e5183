"""The shipped catalogue's records: complete, and every value the source pages did not give has
its evidence. Read from the curated source (fixtures/source/), as merged by the builder."""

import re

import pytest

from resources.curation.catalogue_source import load_records
from resources.curation.completeness import REQUIRED_VOCABULARIES
from resources.url_normalisation import normalise_url
from tests.resources.test_catalogue import SEEDS, seed_001_urls

pytestmark = pytest.mark.skipif(not SEEDS.exists(), reason="the seed pages live in ../shared/seeds")


def seed_text(seeds):
    return "\n".join(
        path.read_text(encoding="utf-8") for seed in seeds for path in SEEDS.glob(f"{seed}_*.txt")
    )


@pytest.fixture(scope="module")
def records():
    return load_records()


def evidence_naming(record, value):
    return [line for line in record.evidence if value in line.split(" — ", 1)[-1].lower()]


def test_every_record_has_a_summary_a_domain_an_audience_and_a_characteristic(records):
    thin = [
        (record.title, [name for name in REQUIRED_VOCABULARIES if not record.terms.get(name)])
        for record in records
        if not record.summary or any(not record.terms.get(name) for name in REQUIRED_VOCABULARIES)
    ]
    assert not thin, thin


def test_a_record_without_an_address_says_why(records):
    silent = [record.title for record in records if not record.url and not record.no_url_reason]
    assert not silent, silent


def test_an_address_no_source_page_gives_has_its_evidence(records):
    given = {normalise_url(url) for url in seed_001_urls()}
    unsupported = [
        (record.title, record.url)
        for record in records
        if record.url
        and normalise_url(record.url) not in given
        and not evidence_naming(record, "web address")
    ]
    assert not unsupported, unsupported


def test_a_year_no_source_page_states_has_its_evidence(records):
    unsupported = [
        (record.title, record.year)
        for record in records
        if record.year
        and str(record.year) not in seed_text(record.seeds) + record.url
        and not evidence_naming(record, "year")
    ]
    assert not unsupported, unsupported


def test_authors_are_people_named_on_a_page_we_recorded(records):
    for record in records:
        for author in record.authors:
            assert re.fullmatch(r"[^,]+, [^,]+", author), f"{record.title}: {author!r}"
        family_names = [author.split(",")[0] for author in record.authors]
        named = seed_text(record.seeds).casefold()
        if record.authors and not all(name.casefold() in named for name in family_names):
            assert evidence_naming(record, "author"), record.title


def test_evidence_points_at_pages(records):
    for record in records:
        for line in record.evidence:
            page, _, took = line.partition(" — ")
            assert normalise_url(page) and took, f"{record.title}: {line!r}"
