"""Merging terms: the survivor takes the others' resources, narrower terms, names and synonyms,
their role pages (ways in by role) and picks, and their slugs as former slugs, so old links to
them lead to it.

Here, not in taxonomy, because a merge retags resources (taxonomy knows nothing of resources).
The Term admin's merge action is added from this side: resources/admin/terms.py."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max

from resources.models import Resource, WayIn, WayInPick
from taxonomy.models import FormerSlug, Term

MERGE_PERMISSIONS = ["taxonomy.change_term", "taxonomy.delete_term", "resources.change_resource"]


class MergeRefused(Exception):
    """A merge the rules do not allow; the message says why, for the librarian."""


@dataclass
class MergeReport:
    survivor: Term
    merged: list = field(default_factory=list)  # names of the terms merged away
    resources_moved: int = 0  # resources that gained the surviving term
    resources_retagged: int = 0  # resources that had a merged term
    narrower_moved: list = field(default_factory=list)
    synonyms_added: list = field(default_factory=list)
    former_slugs: list = field(default_factory=list)  # slugs whose old links now lead to it
    role_pages: list = field(default_factory=list)  # merged terms' ways in by role, now its

    def __str__(self):
        parts = [
            f"Merged {', '.join(f'“{name}”' for name in self.merged)} into “{self.survivor.name}”: "
            f"{self.resources_retagged} resource{'s' if self.resources_retagged != 1 else ''} "
            f"now tagged “{self.survivor.name}” ({self.resources_moved} newly)"
        ]
        if self.narrower_moved:
            parts.append(f"narrower terms moved under it: {', '.join(self.narrower_moved)}")
        if self.synonyms_added:
            parts.append(f"synonyms added: {', '.join(self.synonyms_added)}")
        if self.former_slugs:
            parts.append(f"old links to {', '.join(self.former_slugs)} now lead to it")
        if self.role_pages:
            parts.append(f"its role page has the picks of {', '.join(self.role_pages)}")
        return "; ".join(parts) + "."


def check_one_vocabulary(terms):
    """Raise MergeRefused unless every one of `terms` is in the same vocabulary."""
    if len({term.vocabulary_id for term in terms}) > 1:
        vocabularies = sorted({term.vocabulary.name for term in terms})
        raise MergeRefused(
            "Only terms of the same vocabulary can be merged; these come from "
            + " and ".join(vocabularies)
            + "."
        )


def merge_terms(survivor, others, *, by):
    """Merge `others` into `survivor`: their resources, narrower terms, names and synonyms move to
    it, and they are deleted. Every step is in the history (who and when), which is the only
    way back. Old links, saved views and feeds keep term slugs, so each merged slug (and each
    slug the merged terms had taken over before) becomes a former slug of the survivor.
    """
    others = [term for term in others if term.pk != survivor.pk]
    if not others:
        raise MergeRefused("Choose at least one other term to merge into the surviving term.")
    check_one_vocabulary([survivor, *others])
    missing = [name for name in MERGE_PERMISSIONS if not by.has_perm(name)]
    if missing:
        raise MergeRefused("You do not have permission to merge terms.")

    report = MergeReport(survivor, merged=[term.name for term in others])
    other_ids = {term.pk for term in others}
    with transaction.atomic():
        tagged = Resource.objects.filter(terms__in=other_ids).distinct().prefetch_related("terms")
        for resource in tagged:
            resource._history_user = by
            resource._change_reason = f"Terms merged into “{survivor.name}”"[:100]
            current = {term.pk for term in resource.terms.all()}
            if survivor.pk not in current:
                resource.terms.add(survivor)
                report.resources_moved += 1
            resource.terms.remove(*(current & other_ids))
            report.resources_retagged += 1

        for narrower in Term.objects.filter(parent__in=other_ids).exclude(pk__in=other_ids):
            if narrower.pk == survivor.pk:
                continue
            narrower.parent = survivor
            narrower._history_user = by
            narrower.save(update_fields=["parent"])
            report.narrower_moved.append(narrower.name)

        synonyms = survivor.synonym_list
        known = {name.lower() for name in [survivor.name, *synonyms]}
        for term in others:
            for name in [term.name, *term.synonym_list]:
                if name.lower() not in known:  # names once, whatever their case
                    known.add(name.lower())
                    synonyms.append(name)
                    report.synonyms_added.append(name)
        # The merged terms' slugs, and those they had taken over, now lead to the survivor (and
        # only to it: the latest merge wins a slug a later term had taken again).
        former = [(term.slug, term.name) for term in others] + list(
            FormerSlug.objects.filter(term__in=other_ids).values_list("slug", "name")
        )
        former = [(slug, name) for slug, name in former if slug != survivor.slug]
        slugs = [slug for slug, _ in former]
        FormerSlug.objects.filter(term__vocabulary=survivor.vocabulary_id, slug__in=slugs).delete()
        FormerSlug.objects.bulk_create(
            [FormerSlug(term=survivor, slug=slug, name=name) for slug, name in former]
        )
        report.former_slugs = slugs
        survivor.synonyms = "\n".join(synonyms)
        if not survivor.definition:
            survivor.definition = next((term.definition for term in others if term.definition), "")
        while survivor.parent_id in other_ids:  # it was narrower than a term merged away
            survivor.parent = survivor.parent.parent
        survivor._history_user = by
        survivor._change_reason = f"Merged {', '.join(report.merged)} into it"[:100]
        survivor.save()

        move_role_pages(survivor, other_ids, report)

        # Narrower terms merged away go before their broader ones (a parent is protected).
        def depth(term):
            steps, parent = 0, term.parent
            while parent is not None and parent.pk in other_ids:
                steps, parent = steps + 1, parent.parent
            return steps

        for term in sorted(others, key=depth, reverse=True):
            term._history_user = by
            term.delete()
    return report


def move_role_pages(survivor, other_ids, report):
    """The merged terms' role pages (a term's page is protected from its deletion): the survivor
    takes over the first if it has none of its own, and the others' picks join the end of its
    page, each resource once, before their pages go."""
    pages = list(
        WayIn.objects.filter(term__in=other_ids)
        .select_related("term")
        .prefetch_related("picks")
        .order_by("term__position", "pk")
    )
    if not pages:
        return
    report.role_pages = [f"“{page.term.name}”" for page in pages]
    kept = WayIn.objects.filter(term=survivor).first()
    if kept is None:
        kept, pages = pages[0], pages[1:]
        kept.term = survivor
        kept.save()
    picked = set(kept.picks.values_list("resource", flat=True))
    position = kept.picks.aggregate(last=Max("position"))["last"] or 0
    for page in pages:
        for pick in page.picks.all():
            if pick.resource_id not in picked:
                position += 1
                WayInPick.objects.create(
                    way_in=kept, resource_id=pick.resource_id, position=position
                )
                picked.add(pick.resource_id)
        page.delete()
