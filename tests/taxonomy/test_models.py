import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from taxonomy.models import Term, Vocabulary
from tests.factories import make_term, make_vocabulary

pytestmark = pytest.mark.django_db


def refused(save):
    with pytest.raises(IntegrityError), transaction.atomic():
        save()


def test_database_refuses_a_duplicate_term_slug_in_one_vocabulary():
    vocabulary = make_vocabulary()
    make_term(vocabulary=vocabulary, slug="race")
    refused(lambda: make_term(vocabulary=vocabulary, slug="race"))


def test_same_term_slug_is_fine_in_another_vocabulary():
    make_term(slug="geography")
    make_term(slug="geography")
    assert Term.objects.filter(slug="geography").count() == 2


def test_database_refuses_a_duplicate_term_name_whatever_its_case():
    vocabulary = make_vocabulary()
    make_term(vocabulary=vocabulary, name="Race")
    refused(lambda: make_term(vocabulary=vocabulary, name="race"))


def test_database_refuses_a_term_that_is_its_own_parent():
    term = make_term()
    term.parent = term
    refused(term.save)


@pytest.mark.parametrize("slug", ["q", "page", "kind", "sort"])
def test_database_refuses_a_vocabulary_slug_the_finder_uses(slug):
    refused(lambda: Vocabulary.objects.create(name="Clash", slug=slug))


@pytest.mark.parametrize("slug", ["limit", "page_size"])
def test_database_refuses_a_vocabulary_slug_the_api_or_the_embed_uses(slug):
    refused(lambda: Vocabulary.objects.create(name="Clash", slug=slug))


def test_reserved_vocabulary_slug_gets_a_message_in_forms():
    with pytest.raises(ValidationError, match="used by the finder"):
        Vocabulary(name="Clash", slug="page").full_clean()


def test_broader_term_must_be_in_the_same_vocabulary():
    broader = make_term()
    narrower = Term(vocabulary=make_vocabulary(), name="Narrower", slug="narrower", parent=broader)
    with pytest.raises(ValidationError, match="same vocabulary"):
        narrower.full_clean()


def test_broader_term_cycle_is_refused():
    vocabulary = make_vocabulary()
    top = make_term(vocabulary=vocabulary)
    middle = make_term(vocabulary=vocabulary, parent=top)
    top.parent = middle
    with pytest.raises(ValidationError, match="broader than itself"):
        top.full_clean()


def test_synonyms_are_read_one_per_line():
    term = make_term(synonyms="BAME\n  ethnic minority \n\nethnicity")
    assert term.synonym_list == ["BAME", "ethnic minority", "ethnicity"]
