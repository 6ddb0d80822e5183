"""The topic pages (/topics/): every vocabulary, one vocabulary's terms with counts, and one
term's page with its definition, broader and narrower terms and resources. Their URL names keep
the `taxonomy:` namespace (resources/topic_urls.py); they live here because they list resources,
and taxonomy knows nothing of resources."""

from django.contrib import messages
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from resources.finder import tagged_with, vocabulary_counts
from resources.models import Resource
from resources.views.shared import canonical_url, page_of
from taxonomy.models import Term, former_terms, vocabularies_with_terms, with_narrower


@require_safe
def vocabulary_list(request):
    context = {
        "groups": vocabulary_counts(vocabularies_with_terms()),
        "canonical_url": canonical_url(request, reverse("taxonomy:index")),
    }
    return render(request, "taxonomy/vocabulary_list.html", context)


@require_safe
def vocabulary_detail(request, vocabulary):
    vocabularies = vocabularies_with_terms()
    chosen = next((item for item in vocabularies if item.slug == vocabulary), None)
    if chosen is None:
        raise Http404("No such vocabulary.")
    [group] = [group for group in vocabulary_counts(vocabularies) if group.name == chosen.slug]
    context = {
        "vocabulary": chosen,
        "group": group,
        "canonical_url": canonical_url(request, chosen.get_absolute_url()),
    }
    return render(request, "taxonomy/vocabulary_detail.html", context)


@require_safe
def term_detail(request, vocabulary, term):
    found = Term.objects.filter(vocabulary__slug=vocabulary, slug=term).first()
    if found is None:
        return merged_term_redirect(request, vocabulary, term)
    term = found
    vocabulary_terms = list(term.vocabulary.terms.all())
    ids = with_narrower([term], vocabulary_terms)
    resources = Resource.objects.published().filter(tagged_with(ids)).for_listing()
    problems = []
    page = page_of(request, resources, problems)
    context = {
        "term": term,
        "vocabulary": term.vocabulary,
        "broader": next((item for item in vocabulary_terms if item.pk == term.parent_id), None),
        "narrower": [item for item in vocabulary_terms if item.parent_id == term.pk],
        "page": page,
        "problems": problems,
        "canonical_url": canonical_url(request, term.get_absolute_url(), page),
    }
    return render(request, "taxonomy/term_detail.html", context)


def merged_term_redirect(request, vocabulary, slug):
    """A term merged away: its page moved for good to the term it joined, which says so once."""
    former = former_terms([(vocabulary, slug)]).get((vocabulary, slug))
    if former is None:
        raise Http404("No such term.")
    term, name = former
    messages.info(request, f"“{name}” is now part of “{term.name}”.")
    return HttpResponsePermanentRedirect(term.get_absolute_url())
