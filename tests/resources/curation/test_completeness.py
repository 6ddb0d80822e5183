"""Completeness: the measured, guarded share of records with each part of a complete record."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from resources.curation.completeness import Record, below_floors, measure
from resources.models import ResourceStatus
from tests.factories import make_resource, make_term, make_vocabulary

pytestmark = pytest.mark.django_db


@pytest.fixture
def required_terms():
    """One term in each vocabulary every record must have."""
    return [
        make_term(vocabulary=make_vocabulary(slug=slug), slug=f"{slug}-term")
        for slug in ["domain", "audience", "characteristic"]
    ]


def completeness_report(*arguments):
    output = StringIO()
    call_command("catalogue_completeness", *arguments, stdout=output)
    return output.getvalue()


def test_completeness_counts_published_records_and_lists_what_each_misses(required_terms):
    make_resource(title="Complete guide", summary="What it is.", terms=required_terms)
    make_resource(title="Thin guide", url="", url_missing_reason="An event with no page.")
    make_resource(title="Hidden draft", status=ResourceStatus.DRAFT)

    report = completeness_report()

    assert "2 published resources." in report
    assert "web address" in report and "1 of 2" in report
    assert "Missing summary (1):" in report
    assert "Thin guide" in report.split("Missing summary (1):")[1]
    assert "Hidden draft" not in report


def test_completeness_check_fails_below_a_floor_and_names_it(required_terms):
    make_resource(title="No summary", terms=required_terms)

    with pytest.raises(CommandError, match="summary 0.0% < 100%"):
        completeness_report("--check")


def test_completeness_check_passes_when_every_record_is_complete(required_terms):
    make_resource(title="Complete", summary="What it is.", terms=required_terms)

    assert "100.0%" in completeness_report("--check", "--list", "0")


def test_a_missing_address_without_a_reason_is_below_its_floor():
    records = [
        Record(slug="a", title="A", url="", url_missing_reason=""),
        Record(slug="b", title="B", url="https://example.org/b"),
    ]
    failing = {part.name for part in below_floors(measure(records, []))}
    assert {"web address", "reason for no web address"} <= failing
