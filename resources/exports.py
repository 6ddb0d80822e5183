"""Any finder view, taken away: CSV for spreadsheets, RIS and BibTeX for reference managers.

Exports stream: rows are read in chunks (`iterator(chunk_size=…)`, each chunk's terms and
keywords prefetched in one query each) and written as they come, so a view of 100,000 resources
never sits in memory. See docs/decisions/0010-feeds-and-exports.md.
"""

import csv
from dataclasses import dataclass
from itertools import islice

from django.urls import reverse
from django.utils.text import slugify

from resources.models import ResourceKind

CHUNK_SIZE = 500  # rows fetched (and prefetched) at a time
LINES_PER_WRITE = 100  # lines joined into one piece of the response
FILENAME_START = "health-inequalities-resources"
DIRECTORY_NAME = "Health Inequalities Resource Directory"


@dataclass(frozen=True)
class Format:
    extension: str
    content_type: str
    write: object  # (resources, context) -> lines of text


# Reading the rows -----------------------------------------------------------------------------


def exportable(queryset):
    """The view's resources in order, fetched in chunks with their terms and keywords."""
    return (
        queryset.prefetch_related(None)
        .prefetch_related("terms", "keywords")
        .iterator(chunk_size=CHUNK_SIZE)
    )


class Context:
    """What every row needs besides the resource: vocabularies, our page's address, the date."""

    def __init__(self, request, vocabularies, today):
        self.vocabularies = vocabularies
        self.today = today
        # One reverse() for the whole export, not one a row.
        placeholder = "resource-slug"
        self.page_url_pattern = request.build_absolute_uri(
            reverse("resources:detail", args=[placeholder])
        ).replace(placeholder, "{}")

    def page_url(self, resource):
        return self.page_url_pattern.format(resource.slug)


def terms_by_vocabulary(resource):
    by_vocabulary = {}
    for term in sorted(resource.terms.all(), key=lambda term: (term.position, term.name)):
        by_vocabulary.setdefault(term.vocabulary_id, []).append(term.name)
    return by_vocabulary


def keyword_names(resource):
    return sorted((tag.name for tag in resource.keywords.all()), key=str.lower)


def one_line(text):
    return " ".join(text.split())


def in_pieces(lines, size=LINES_PER_WRITE):
    """Lines joined a hundred at a time: fewer, larger writes to the client."""
    lines = iter(lines)
    while piece := "".join(islice(lines, size)):
        yield piece


def filename(finder, extension, today):
    """'health-inequalities-resources-about-race-2026-12-01.csv': safe ASCII, from the view."""
    described = slugify(finder.description())[:80].strip("-")
    parts = [FILENAME_START, described, today.isoformat()]
    return "-".join(part for part in parts if part) + f".{extension}"


# CSV -------------------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell):
    """A cell a spreadsheet would run as a formula starts with a quote instead (OWASP advice)."""
    cell = str(cell)
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


class Echo:
    """csv.writer writes to it and gets the line back, so rows can be streamed."""

    def write(self, value):
        return value


def csv_lines(resources, context):
    writer = csv.writer(Echo())  # CRLF line ends, quoting as needed: what Excel expects
    header = ["Title", "Web address", "Page in this directory", "Type", "Publisher"]
    header += ["Year published", "Access"]
    header += [vocabulary.name for vocabulary in context.vocabularies]
    header += ["Keywords", "Summary"]
    yield "\ufeff" + writer.writerow(header)  # the byte-order mark tells Excel it is UTF-8
    for resource in resources:
        terms = terms_by_vocabulary(resource)
        row = [
            resource.title,
            resource.url,
            context.page_url(resource),
            resource.get_kind_display(),
            resource.publisher.name if resource.publisher else "",
            resource.year_published or "",
            resource.get_access_display() if resource.access else "",
        ]
        row += ["; ".join(terms.get(vocabulary.pk, [])) for vocabulary in context.vocabularies]
        row += ["; ".join(keyword_names(resource)), resource.summary]
        yield writer.writerow([neutralise(cell) for cell in row])


# RIS -------------------------------------------------------------------------------------------

RIS_TYPES = {
    ResourceKind.GUIDANCE: "RPRT",
    ResourceKind.REPORT: "RPRT",
    ResourceKind.FRAMEWORK: "RPRT",
    ResourceKind.STRATEGY: "RPRT",
    ResourceKind.CASE_STUDY: "RPRT",
    ResourceKind.STATISTICS: "DATA",
    ResourceKind.TOOL: "ELEC",
    ResourceKind.DATA_TOOL: "ELEC",
    ResourceKind.E_LEARNING: "ELEC",
    ResourceKind.NETWORK: "ELEC",
    ResourceKind.COLLECTION: "ELEC",
    ResourceKind.WEBSITE: "ELEC",
    ResourceKind.SERVICE: "ELEC",
    ResourceKind.WEBINAR: "VIDEO",
    ResourceKind.PODCAST: "SOUND",
    ResourceKind.BLOG: "BLOG",
    ResourceKind.LEGISLATION: "STAT",
    ResourceKind.RESEARCH: "JOUR",
}  # anything else (publication, course) is GEN, a generic reference


def ris_lines(resources, context):
    for resource in resources:
        fields = [("TY", RIS_TYPES.get(resource.kind, "GEN")), ("TI", resource.title)]
        if resource.publisher:
            fields += [("AU", resource.publisher.name), ("PB", resource.publisher.name)]
        if resource.year_published:
            fields.append(("PY", str(resource.year_published)))
        fields.append(("UR", resource.url or context.page_url(resource)))
        if resource.summary:
            fields.append(("AB", resource.summary))
        for names in terms_by_vocabulary(resource).values():
            fields += [("KW", name) for name in names]
        fields += [("KW", name) for name in keyword_names(resource)]
        fields += [
            ("N1", f"Catalogue page: {context.page_url(resource)}"),
            ("DB", DIRECTORY_NAME),
            ("Y2", context.today.isoformat()),
        ]
        for tag, value in fields:
            yield f"{tag}  - {one_line(value)}\r\n"
        yield "ER  - \r\n\r\n"


# BibTeX ----------------------------------------------------------------------------------------

BIBTEX_TYPES = {
    ResourceKind.GUIDANCE: "techreport",
    ResourceKind.REPORT: "techreport",
    ResourceKind.FRAMEWORK: "techreport",
    ResourceKind.STRATEGY: "techreport",
    ResourceKind.STATISTICS: "techreport",
    ResourceKind.TOOL: "online",
    ResourceKind.DATA_TOOL: "online",
    ResourceKind.E_LEARNING: "online",
    ResourceKind.COURSE: "online",
    ResourceKind.WEBINAR: "online",
    ResourceKind.PODCAST: "online",
    ResourceKind.NETWORK: "online",
    ResourceKind.COLLECTION: "online",
    ResourceKind.WEBSITE: "online",
    ResourceKind.BLOG: "online",
    ResourceKind.SERVICE: "online",
}  # anything else is misc
# Where each entry type keeps the publisher.
BIBTEX_PUBLISHER_FIELD = {
    "techreport": "institution",
    "online": "organization",
    "misc": "publisher",
}
BIBTEX_ESCAPES = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "%": r"\%",
        "&": r"\&",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "^": r"\textasciicircum{}",
        "~": r"\textasciitilde{}",
    }
)
URL_ESCAPES = str.maketrans({"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"})


def bibtex_text(text):
    """Text as a BibTeX value: LaTeX's special characters escaped, on one line."""
    return one_line(text).translate(BIBTEX_ESCAPES)


def bibtex_lines(resources, context):
    for resource in resources:
        entry_type = BIBTEX_TYPES.get(resource.kind, "misc")
        # Double braces keep the title's capitals and make the publisher one corporate author.
        fields = [("title", f"{{{bibtex_text(resource.title)}}}")]
        if resource.publisher:
            publisher = bibtex_text(resource.publisher.name)
            fields += [
                ("author", f"{{{publisher}}}"),
                (BIBTEX_PUBLISHER_FIELD[entry_type], publisher),
            ]
        if resource.year_published:
            fields.append(("year", str(resource.year_published)))
        # url is verbatim in biblatex: percent-encode rather than escape.
        fields.append(("url", (resource.url or context.page_url(resource)).translate(URL_ESCAPES)))
        fields.append(("urldate", context.today.isoformat()))
        if resource.summary:
            fields.append(("abstract", bibtex_text(resource.summary)))
        keywords = [name for names in terms_by_vocabulary(resource).values() for name in names]
        keywords += keyword_names(resource)
        if keywords:
            fields.append(("keywords", bibtex_text(", ".join(keywords))))
        fields.append(
            ("note", f"Catalogue page: {context.page_url(resource).translate(URL_ESCAPES)}")
        )
        # Slugs are unique and use only letters, digits and hyphens: safe, unique keys.
        yield f"@{entry_type}{{{resource.slug},\n"
        yield ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        yield "\n}\n\n"


FORMATS = {
    "csv": Format("csv", "text/csv; charset=utf-8", csv_lines),
    "ris": Format("ris", "application/x-research-info-systems; charset=utf-8", ris_lines),
    "bib": Format("bib", "application/x-bibtex; charset=utf-8", bibtex_lines),
}
