"""The catalogue builder merges records of the same document and refuses bad ones."""

import pytest
import yaml
from django.core.management import CommandError, call_command

from resources.curation import catalogue_fixture as catalogue
from resources.curation import catalogue_source

TAXONOMY = [
    {
        "slug": "topic",
        "name": "Topic",
        "terms": [{"slug": "covid-19", "name": "COVID-19", "definition": "The pandemic."}],
    }
]
ORGANISATIONS = [
    {
        "slug": "public-health-england",
        "name": "Public Health England",
        "acronym": "PHE",
    },
    {"slug": "the-kings-fund", "name": "The King's Fund", "aliases": ["King's Fund"]},
]


@pytest.fixture
def source(tmp_path, monkeypatch):
    monkeypatch.setattr(catalogue_source, "SOURCE_DIR", tmp_path)

    def write(first, other=()):
        (tmp_path / "taxonomy.yaml").write_text(yaml.safe_dump(TAXONOMY))
        (tmp_path / "organisations.yaml").write_text(yaml.safe_dump(ORGANISATIONS))
        (tmp_path / "resources-001.yaml").write_text(yaml.safe_dump({"resources": first}))
        (tmp_path / "resources-other.yaml").write_text(yaml.safe_dump({"resources": list(other)}))

    return write


def resources(objects):
    return [row["fields"] for row in objects if row["model"] == "resources.resource"]


def test_records_of_the_same_document_are_merged(source):
    source(
        [
            {
                "title": "Beyond the data",
                "url": "https://www.gov.uk/beyond-the-data",
                "publisher": "PHE",
                "kind": "report",
                "terms": {"topic": ["covid-19"]},
                "seeds": ["001"],
                "also_linked_as": ["https://www.gov.uk/beyond-the-data/full"],
            }
        ],
        [
            {
                "title": "Beyond the data: understanding the impact",
                "url": "HTTPS://www.gov.uk/beyond-the-data/full/",
                "year": 2020,
                "kind": "report",
                "keywords": ["BAME"],
                "seeds": ["000"],
            }
        ],
    )
    [merged] = resources(catalogue.Builder().build())
    assert merged["title"] == "Beyond the data"
    assert merged["year_published"] == 2020
    assert merged["status"] == "published"
    assert "Named by: 000" in merged["curator_notes"]
    assert merged["alternative_titles"] == "Beyond the data: understanding the impact"


def test_records_of_one_address_with_and_without_www_are_one_resource(source):
    source(
        [
            {
                "title": "Core20PLUS5",
                "url": "https://www.england.nhs.uk/about/equality/core20plus5/",
                "publisher": "PHE",
                "kind": "framework",
                "seeds": ["001"],
            }
        ],
        [
            {
                "title": "Core20PLUS5 (adults)",
                "url": "http://england.nhs.uk/about/equality/core20plus5",
                "kind": "framework",
                "seeds": ["000"],
            }
        ],
    )
    [merged] = resources(catalogue.Builder().build())
    assert merged["url"] == "https://www.england.nhs.uk/about/equality/core20plus5/"
    assert merged["normalised_url"] == "https://england.nhs.uk/about/equality/core20plus5"
    assert merged["alternative_titles"] == "Core20PLUS5 (adults)"


def test_unknown_terms_kinds_and_publishers_stop_the_build_with_every_problem(source):
    source(
        [
            {
                "title": "One",
                "url": "https://a.org/1",
                "kind": "novel",
                "publisher": "Kings Fund",
            },
            {
                "title": "Two",
                "url": "https://a.org/2",
                "kind": "report",
                "terms": {"topic": ["covid"]},
            },
            {
                "title": "Three",
                "url": "not a web address",
                "kind": "report",
                "year": "2020s",
            },
        ]
    )
    with pytest.raises(catalogue.CatalogueError) as error:
        catalogue.Builder().build()
    problems = "\n".join(error.value.problems)
    assert "record 1 “One”: unknown kind 'novel'" in problems
    assert "unknown organisation 'Kings Fund'" in problems
    assert "record 2 “Two”: unknown term topic/covid" in problems
    assert "'not a web address' is not a web address" in problems
    assert "year '2020s' is not a year" in problems


def test_publisher_is_found_by_alias_whatever_its_case(source):
    source(
        [
            {
                "title": "Nutshell",
                "url": "",
                "kind": "publication",
                "publisher": "king's fund",
            }
        ]
    )
    [resource] = resources(catalogue.Builder().build())
    assert resource["publisher"] == 2


def test_build_command_reports_problems_without_writing(source, tmp_path, monkeypatch):
    fixture = tmp_path / "catalogue.json"
    monkeypatch.setattr(catalogue, "FIXTURE_PATH", fixture)
    source([{"title": "Bad", "url": "", "kind": "novel"}])
    with pytest.raises(CommandError, match="1 problem"):
        call_command("build_catalogue")
    assert not fixture.exists()


def test_build_command_writes_the_fixture(source, tmp_path, monkeypatch):
    fixture = tmp_path / "catalogue.json"
    monkeypatch.setattr(catalogue, "FIXTURE_PATH", fixture)
    source(
        [
            {
                "title": "Good",
                "url": "https://a.org/good",
                "kind": "report",
                "publisher": "PHE",
            }
        ]
    )
    call_command("build_catalogue")
    assert '"title": "Good"' in fixture.read_text()
