"""The resource change list's search: the public search's index, plus a resource's own slug or
web address typed in full. Drafts included, since it is the admin."""

from django.db.models import Q

from resources.search import search
from resources.url_normalisation import normalise_url


def admin_search(queryset, text):
    """The resources of `queryset` that the public search finds for `text` (title words, other
    titles, keywords, the publisher's name and acronym, term names and synonyms, spelling: the
    search index, GIN on PostgreSQL) or whose slug is `text`; for a web address, the resource
    at that address, however it is written, and those under it ("nice.org.uk" gives every NICE
    page: a prefix of the normalised address, which an index answers, migration 0033).

    It used to match the admin's own fields with "contains" as well, joined to publishers and
    keywords: on PostgreSQL that read every row, 9.5 s at 100,000 resources, for nothing the
    index does not hold but parts of words, and parts of addresses other than their start. The
    matches are plain conditions on the rows (not "id in (…)"), so the database may walk the
    title index and stop at a page."""
    text = text.strip()
    if address := web_address(text):
        return queryset.filter(
            Q(normalised_url=address) | Q(normalised_url__startswith=f"{address}/")
        )
    return search(queryset, text).queryset | queryset.filter(slug=text)


def web_address(text):
    """`text` as a resource's normalised web address, if it is one ("nice.org.uk/ng1" too): its
    words ("https", "org", "uk") would find much else."""
    if " " in text or "." not in text:
        return ""
    return normalise_url(text if "://" in text else f"https://{text}")
