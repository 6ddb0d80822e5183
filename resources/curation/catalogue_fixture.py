"""Build the shipped catalogue fixture from the curated YAML in fixtures/source/.

The YAML is what people edit (see fixtures/source/README.md); the JSON fixture it produces is
what `manage.py loaddata catalogue` loads. Building is strict: an unknown term, kind or
publisher stops the build with every problem listed, so nothing half-right ships.
"""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.text import slugify

from resources.curation import completeness
from resources.curation.catalogue_source import (
    WAYS_IN_FILE,
    load_records,
    read_ways_in,
    read_yaml,
    successor_slugs,
)
from resources.finder import MAX_YEAR, MIN_YEAR
from resources.models import (
    AUDIENCE_VOCABULARY,
    OrganisationKind,
    ResourceAccess,
    ResourceFormat,
    ResourceKind,
    ResourceStatus,
    title_sort_key,
)
from resources.url_normalisation import address_lines, normalise_url

FIXTURE_PATH = Path(settings.BASE_DIR) / "fixtures" / "catalogue.json"
# Every row of the shipped catalogue carries this time, so a rebuild changes nothing it need not.
CATALOGUE_TIME = "2026-11-22T00:00:00Z"
SEED_NAMES = {
    "000": "NHS library guide “Health Inequalities”",
    "001": "GOV.UK “Health disparities and health inequalities: applying All Our Health”",
    "002": "Northamptonshire ICS health inequalities page",
    "003": "GOV.UK “Health equity” collection",
    "004": "London “Reducing Inequalities” page",
}


# Public text that cites the source pages ("001 links…", "the seed says"): provenance is for
# curators, in notes and YAML comments.
SOURCE_PAGE_MENTION = re.compile(r"(?<![\d,.])\b00[0-4]\b|\bseed", re.IGNORECASE)


class CatalogueError(Exception):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


def resource_format(record):
    path = urlsplit(record.url).path.lower()
    if path.endswith(".pdf"):
        return ResourceFormat.PDF
    if record.kind == ResourceKind.PODCAST:
        return ResourceFormat.AUDIO
    if record.kind in {ResourceKind.E_LEARNING, ResourceKind.DATA_TOOL}:
        return ResourceFormat.INTERACTIVE
    return ResourceFormat.WEB_PAGE if record.url else ResourceFormat.NOT_RECORDED


class Builder:
    def __init__(self):
        self.problems = []
        self.objects = []
        self.vocabularies = []
        self.completeness_records = []

    def build(self):
        terms = self.build_taxonomy(read_yaml("taxonomy.yaml"))
        organisations = self.build_organisations(read_yaml("organisations.yaml"))
        self.build_resources(load_records(), terms, organisations)
        self.build_ways_in(read_ways_in(), terms)
        if self.problems:
            raise CatalogueError(self.problems)
        return self.objects

    def add(self, model, pk, fields):
        for name in ["summary", "definition", "description", "introduction"]:
            if SOURCE_PAGE_MENTION.search(fields.get(name) or ""):
                self.problems.append(
                    f"{model} {fields.get('slug', pk)}: its public {name} mentions a source page "
                    "(keep provenance in notes or YAML comments)."
                )
        self.objects.append({"model": model, "pk": pk, "fields": fields})

    def completeness(self):
        """How complete the built catalogue's records are (resources.curation.completeness)."""
        return completeness.measure(self.completeness_records, self.vocabularies)

    def build_taxonomy(self, vocabularies):
        terms = {}
        term_pk = 0
        for vocabulary_pk, vocabulary in enumerate(vocabularies, start=1):
            self.vocabularies.append(vocabulary["slug"])
            self.add(
                "taxonomy.vocabulary",
                vocabulary_pk,
                {
                    "name": vocabulary["name"],
                    "slug": vocabulary["slug"],
                    "description": vocabulary.get("description", ""),
                    "position": vocabulary.get("position", vocabulary_pk),
                },
            )
            for position, term in enumerate(vocabulary.get("terms", []), start=1):
                term_pk += 1
                terms[vocabulary["slug"], term["slug"]] = term_pk
                parent = term.get("parent")
                if parent and (vocabulary["slug"], parent) not in terms:
                    self.problems.append(
                        f"Term {term['slug']}: broader term {parent!r} must come earlier in {vocabulary['slug']}."
                    )
                self.add(
                    "taxonomy.term",
                    term_pk,
                    {
                        "vocabulary": vocabulary_pk,
                        "name": term["name"],
                        "slug": term["slug"],
                        "definition": " ".join(str(term.get("definition", "")).split()),
                        "synonyms": "\n".join(str(synonym) for synonym in term.get("synonyms", [])),
                        "parent": terms.get((vocabulary["slug"], parent)) if parent else None,
                        "position": term.get("position", position),
                    },
                )
        return terms

    def build_organisations(self, organisations):
        pks = {row["slug"]: pk for pk, row in enumerate(organisations, start=1)}
        names = {}
        for row in organisations:
            for name in [row["name"], row.get("acronym", ""), *row.get("aliases", [])]:
                if not name:
                    continue
                other = names.setdefault(name.casefold(), row["slug"])
                if other != row["slug"]:
                    self.problems.append(
                        f"Organisation name {name!r} belongs to both {other} and {row['slug']}."
                    )
        for row in organisations:
            if row.get("kind", "other") not in OrganisationKind.values:
                self.problems.append(
                    f"Organisation {row['slug']}: unknown kind {row.get('kind')!r}."
                )
            successors = successor_slugs(row)
            for successor in successors:
                if successor not in pks:
                    self.problems.append(
                        f"Organisation {row['slug']}: unknown successor {successor!r}."
                    )
            succeeded_on = row.get("succeeded_on")
            self.add(
                "resources.organisation",
                pks[row["slug"]],
                {
                    "name": row["name"],
                    "slug": row["slug"],
                    "acronym": row.get("acronym", "") or "",
                    "kind": row.get("kind", OrganisationKind.OTHER),
                    "website": row.get("website", "") or "",
                    "description": " ".join(str(row.get("description", "")).split()),
                    "succeeded_by": pks.get(successors[0]) if successors else None,
                    "further_successors": [pks[slug] for slug in successors[1:] if slug in pks],
                    "succeeded_on": str(succeeded_on) if succeeded_on else None,
                    "created_at": CATALOGUE_TIME,
                    "updated_at": CATALOGUE_TIME,
                },
            )
        return {name: pks[slug] for name, slug in names.items()}

    def organisation(self, name, record):
        pk = self.organisations.get(name.casefold())
        if pk is None:
            self.problems.append(
                f"{record.origin} “{record.title}”: unknown organisation {name!r}."
            )
        return pk

    def build_resources(self, records, terms, organisations):
        self.organisations = organisations
        slugs, tags, tagged = set(), {}, 0
        self.resource_terms = {}  # slug -> (pk, the ids of its terms), for the ways in
        for pk, record in enumerate(records, start=1):
            where = f"{record.origin} “{record.title}”"
            if not record.title:
                self.problems.append(f"{record.origin}: no title.")
            if record.kind not in ResourceKind.values:
                self.problems.append(f"{where}: unknown kind {record.kind!r}.")
            if record.access not in ResourceAccess.values:
                self.problems.append(f"{where}: unknown access {record.access!r}.")
            if record.year is not None and not (
                isinstance(record.year, int) and MIN_YEAR <= record.year <= MAX_YEAR
            ):
                self.problems.append(f"{where}: year {record.year!r} is not a year.")
            if record.url and not normalise_url(record.url):
                self.problems.append(f"{where}: {record.url!r} is not a web address.")
            term_pks, vocabularies = [], set()
            for vocabulary, term_slugs in record.terms.items():
                for term_slug in term_slugs:
                    if (vocabulary, term_slug) in terms:
                        term_pks.append(terms[vocabulary, term_slug])
                        vocabularies.add(vocabulary)
                    else:
                        self.problems.append(f"{where}: unknown term {vocabulary}/{term_slug}.")
            base = record.slug or slugify(record.title)[:280] or "resource"
            slug, number = base, 2
            while slug in slugs:
                slug, number = f"{base}-{number}", number + 1
            slugs.add(slug)
            self.resource_terms[slug] = (pk, set(term_pks))
            notes = [
                f"Named by: {', '.join(f'{seed} ({SEED_NAMES.get(seed, seed)})' for seed in record.seeds)}."
            ]
            notes.extend(record.notes)
            self.add(
                "resources.resource",
                pk,
                {
                    "title": record.title,
                    "sort_title": title_sort_key(record.title),
                    "alternative_titles": "\n".join(record.alternative_titles),
                    "slug": slug,
                    "url": record.url,
                    "normalised_url": normalise_url(record.url),
                    "cited_urls": "\n".join(record.also_linked_as),
                    "normalised_cited_urls": address_lines(record.also_linked_as),
                    "authors": "\n".join(record.authors),
                    "evidence": "\n".join(record.evidence),
                    "url_missing_reason": "" if record.url else record.no_url_reason,
                    "kind": record.kind,
                    "summary": record.summary,
                    "publisher": self.organisation(record.publisher, record)
                    if record.publisher
                    else None,
                    "partners": sorted(
                        {self.organisation(name, record) for name in record.partners} - {None}
                    ),
                    "year_published": record.year,
                    "access": record.access,
                    "format": resource_format(record),
                    "terms": sorted(set(term_pks)),
                    "status": ResourceStatus.PUBLISHED,
                    "curator_notes": "\n".join(notes),
                    "created_at": CATALOGUE_TIME,
                    "updated_at": CATALOGUE_TIME,
                    "published_at": CATALOGUE_TIME,
                },
            )
            self.completeness_records.append(
                completeness.Record(
                    slug=slug,
                    title=record.title,
                    url=record.url,
                    url_missing_reason=record.no_url_reason,
                    summary=record.summary,
                    year=record.year,
                    has_publisher=bool(record.publisher),
                    authors="\n".join(record.authors),
                    evidence="\n".join(record.evidence),
                    vocabularies=vocabularies,
                )
            )
            for keyword in record.keywords:
                tag_pk = tags.setdefault(keyword.casefold(), (len(tags) + 1, keyword))[0]
                tagged += 1
                self.add(
                    "taggit.taggeditem",
                    tagged,
                    {
                        "tag": tag_pk,
                        "content_type": ["resources", "resource"],
                        "object_id": pk,
                    },
                )
        used_slugs = set()
        for tag_pk, name in sorted(tags.values()):
            slug, number = slugify(name) or f"keyword-{tag_pk}", 2
            while slug in used_slugs:
                slug, number = f"{slugify(name)}-{number}", number + 1
            used_slugs.add(slug)
            self.objects.append(
                {
                    "model": "taggit.tag",
                    "pk": tag_pk,
                    "fields": {"name": name, "slug": slug},
                }
            )

    def build_ways_in(self, rows, terms):
        """One role's page per row, its picks in order: each pick a resource the audience's
        finder view shows (tagged with the audience or a narrower term)."""
        audiences = {
            slug: pk
            for (vocabulary, slug), pk in terms.items()
            if vocabulary == AUDIENCE_VOCABULARY
        }
        broader = {
            row["pk"]: row["fields"]["parent"]
            for row in self.objects
            if row["model"] == "taxonomy.term" and row["pk"] in audiences.values()
        }

        def within(term_pk, audience_pk):
            while term_pk is not None:
                if term_pk == audience_pk:
                    return True
                term_pk = broader.get(term_pk)
            return False

        seen, pick_pk = set(), 0
        for way_in_pk, row in enumerate(rows, start=1):
            audience = row.get("audience", "")
            where = f"{WAYS_IN_FILE} record {way_in_pk} ({audience})"
            if audience not in audiences:
                self.problems.append(f"{where}: unknown audience {audience!r}.")
                continue
            if audience in seen:
                self.problems.append(f"{where}: a second page for this audience.")
            seen.add(audience)
            self.add(
                "resources.wayin",
                way_in_pk,
                {
                    "term": audiences[audience],
                    "introduction": " ".join(str(row.get("introduction", "")).split()),
                    "is_published": True,
                    "created_at": CATALOGUE_TIME,
                    "updated_at": CATALOGUE_TIME,
                },
            )
            picked = set()
            for position, slug in enumerate(row.get("picks") or [], start=1):
                if slug not in self.resource_terms:
                    self.problems.append(f"{where}: pick {slug!r} is not a resource.")
                    continue
                resource_pk, term_pks = self.resource_terms[slug]
                if not any(within(pk, audiences[audience]) for pk in term_pks):
                    self.problems.append(
                        f"{where}: pick {slug!r} is not tagged for {audience} (or a narrower "
                        "audience), so its finder view would not show it."
                    )
                if slug in picked:
                    self.problems.append(f"{where}: pick {slug!r} is listed twice.")
                    continue
                picked.add(slug)
                pick_pk += 1
                self.objects.append(
                    {
                        "model": "resources.wayinpick",
                        "pk": pick_pk,
                        "fields": {
                            "way_in": way_in_pk,
                            "resource": resource_pk,
                            "position": position,
                        },
                    }
                )


def render(objects):
    order = [
        "taxonomy.vocabulary",
        "taxonomy.term",
        "resources.organisation",
        "taggit.tag",
        "resources.resource",
        "taggit.taggeditem",
        "resources.wayin",
        "resources.wayinpick",
    ]
    objects = sorted(objects, key=lambda row: (order.index(row["model"]), row["pk"]))
    return json.dumps(objects, indent=1, ensure_ascii=False) + "\n"
