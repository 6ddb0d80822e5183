"""Reading the curated YAML in fixtures/source/ into records, one per document: records of the
same document (same normalised address, an address another lists in `also_linked_as`, or the
same slug) are merged. The schema: fixtures/source/README.md."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.utils.text import slugify

from resources.url_normalisation import normalise_url

SOURCE_DIR = Path(settings.BASE_DIR) / "fixtures" / "source"
RESOURCE_FILES = ["resources-001.yaml", "resources-other.yaml"]
WAYS_IN_FILE = "ways-in.yaml"


def read_yaml(name):
    with open(SOURCE_DIR / name, encoding="utf-8") as source:
        return yaml.safe_load(source) or []


def read_ways_in():
    """The ways in by role, each an audience with its introduction and picks (none if no file)."""
    return read_yaml(WAYS_IN_FILE) if (SOURCE_DIR / WAYS_IN_FILE).exists() else []


@dataclass
class Record:
    """One resource as curated, possibly merged from several source records."""

    title: str
    url: str
    origin: str
    slug: str = ""
    publisher: str = ""
    partners: list = field(default_factory=list)
    year: int | None = None
    kind: str = ""
    access: str = ""
    summary: str = ""
    terms: dict = field(default_factory=dict)
    keywords: list = field(default_factory=list)
    seeds: list = field(default_factory=list)
    also_linked_as: list = field(default_factory=list)
    alternative_titles: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    authors: list = field(default_factory=list)
    evidence: list = field(default_factory=list)
    no_url_reason: str = ""

    @classmethod
    def from_source(cls, data, origin):
        return cls(
            title=str(data.get("title") or "").strip(),
            url=str(data.get("url") or "").strip(),
            origin=origin,
            slug=str(data.get("slug") or "").strip(),
            publisher=str(data.get("publisher") or "").strip(),
            partners=list(data.get("partners") or []),
            year=data.get("year"),
            kind=str(data.get("kind") or "").strip(),
            access=str(data.get("access") or "").strip(),
            summary=" ".join(str(data.get("summary") or "").split()),
            terms={
                vocabulary: list(slugs or [])
                for vocabulary, slugs in (data.get("terms") or {}).items()
            },
            keywords=unique(
                [str(keyword).strip() for keyword in data.get("keywords") or []],
                key=str.casefold,
            ),
            seeds=[str(seed) for seed in data.get("seeds") or []],
            also_linked_as=list(data.get("also_linked_as") or []),
            alternative_titles=list(data.get("alternative_titles") or []),
            notes=[str(data["note"]).strip()] if data.get("note") else [],
            authors=[str(author).strip() for author in data.get("authors") or []],
            evidence=[
                f"{item.get('page', '').strip()} — {' '.join(str(item.get('took', '')).split())}"
                for item in data.get("evidence") or []
            ],
            no_url_reason=" ".join(str(data.get("no_url_reason") or "").split()),
        )

    @property
    def key(self):
        return normalise_url(self.url) or f"slug:{self.slug or slugify(self.title)}"

    def absorb(self, other):
        """Merge a second record of the same resource into this one."""
        for name in ["slug", "publisher", "year", "kind", "access", "summary", "no_url_reason"]:
            if not getattr(self, name):
                setattr(self, name, getattr(other, name))
        for vocabulary, slugs in other.terms.items():
            self.terms[vocabulary] = unique([*self.terms.get(vocabulary, []), *slugs])
        self.partners = unique([*self.partners, *other.partners])
        self.keywords = unique([*self.keywords, *other.keywords], key=str.casefold)
        self.seeds = sorted(set(self.seeds) | set(other.seeds))
        other_urls = [other.url] if other.url and other.key != self.key else []
        self.also_linked_as = unique([*self.also_linked_as, *other_urls, *other.also_linked_as])
        self.alternative_titles = unique(
            [*self.alternative_titles, other.title, *other.alternative_titles],
            key=str.casefold,
        )
        self.alternative_titles = [
            title for title in self.alternative_titles if title != self.title
        ]
        self.notes.extend(other.notes)
        self.authors = self.authors or other.authors
        self.evidence = unique([*self.evidence, *other.evidence])


def successor_slugs(row):
    """An organisation's successors: one slug, or a list whose first is the main successor."""
    value = row.get("succeeded_by") or []
    return [value] if isinstance(value, str) else list(value)


def unique(items, key=lambda item: item):
    seen, kept = set(), []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            kept.append(item)
    return kept


def load_records():
    """Every curated resource, merged so that each document appears once.

    Two records are the same document when they share a normalised URL, or when one's URL is
    another's `also_linked_as`, or (without URLs) when they share a slug.
    """
    merged, aliases = {}, {}
    for name in RESOURCE_FILES:
        if not (SOURCE_DIR / name).exists():
            continue
        data = read_yaml(name)
        rows = data.get("resources", []) if isinstance(data, dict) else data
        for number, row in enumerate(rows, start=1):
            record = Record.from_source(row, origin=f"{name} record {number}")
            key = aliases.get(record.key, record.key)
            if key in merged:
                merged[key].absorb(record)
            else:
                merged[key] = record
            for url in record.also_linked_as:
                aliases.setdefault(normalise_url(url), key)
    return list(merged.values())
