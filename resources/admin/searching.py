"""The resource change list's search: the public search's index, plus a resource's own slug or
web address typed in full. Drafts included, since it is the admin."""

from resources.search import search
from resources.url_normalisation import normalise_url


def admin_search(queryset, text):
    """The resources of `queryset` that the public search finds for `text` (title words, other
    titles, keywords, the publisher's name and acronym, term names and synonyms, spelling: the
    search index, GIN on PostgreSQL) or whose slug is `text`; for a web address, the resource
    at that address, however it is written.

    It used to match the admin's own fields with "contains" as well, joined to publishers and
    keywords: on PostgreSQL that read every row, 9.5 s at 100,000 resources, for nothing the
    index does not hold but parts of words and of addresses. The matches are plain conditions
    on the rows (not "id in (…)"), so the database may walk the title index and stop at a page."""
    text = text.strip()
    if address := web_address(text):
        return queryset.filter(normalised_url=address)
    return searched(queryset, text) | queryset.filter(slug=text)


def searched(queryset, text):
    """The public search's matches, the words as typed unless nothing has them all: a word some
    resource has is not corrected anyway, and checking spelling read every word of the catalogue
    unless the cache held them (4 s at 20,000 resources, before the words were kept in a table)."""
    outcome = search(queryset, text, as_typed=True)
    if outcome.is_partial or not (outcome.is_broad or outcome.queryset.exists()):
        outcome = search(queryset, text)
    return outcome.queryset


def web_address(text):
    """`text` as a resource's normalised web address, if it is one ("nice.org.uk/ng1" too): its
    words ("https", "org", "uk") would find much else."""
    if " " in text or "." not in text:
        return ""
    return normalise_url(text if "://" in text else f"https://{text}")
