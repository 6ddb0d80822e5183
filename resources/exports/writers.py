"""The three formats written from export rows (rows.py): CSV for spreadsheets, RIS and BibTeX
for reference managers. On PostgreSQL a live view's CSV is written by the database instead
(csv_in_postgres.py), to the same bytes. See docs/decisions/0010-feeds-and-exports.md.
"""

import csv
from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import slugify

from resources.models import ResourceKind

FILENAME_START = "health-inequalities-resources"
DIRECTORY_NAME = "Health Inequalities Resource Directory"


@dataclass(frozen=True)
class Format:
    extension: str
    content_type: str
    header: object  # (context) -> the text before the first row, sent before any is read
    write_rows: object  # (rows, context) -> lines of text, a row at a time

    def write(self, rows, context):
        """The whole file's lines: the header, then the rows'."""
        yield self.header(context)
        yield from self.write_rows(rows, context)


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


def one_line(text):
    return " ".join(text.split())


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


def csv_header(context):
    """The first line, before any row is read: the byte-order mark tells Excel it is UTF-8."""
    header = ["Title", "Web address", "Page in this directory", "Type", "Authors", "Publisher"]
    header += ["Year published", "Access"]
    header += [vocabulary.name for vocabulary in context.vocabularies]
    header += ["Keywords", "Summary"]
    return "\ufeff" + csv.writer(Echo()).writerow(header)


def csv_rows(rows, context):
    writer = csv.writer(Echo())  # CRLF line ends, quoting as needed: what Excel expects
    for row in rows:
        resource, terms = row.resource, row.terms
        cells = [
            resource.title,
            resource.url,
            context.page_url(resource),
            resource.get_kind_display(),
            "; ".join(resource.author_names),
            resource.publisher.name if resource.publisher else "",
            resource.year_published or "",
            resource.get_access_display() if resource.access else "",
        ]
        cells += ["; ".join(terms.get(vocabulary.pk, [])) for vocabulary in context.vocabularies]
        cells += ["; ".join(row.keywords), resource.summary]
        yield writer.writerow([neutralise(cell) for cell in cells])


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


def keywords_of(row):
    """A resource's term names, then its keywords, each once whatever its case: a reference
    manager lists a keyword given twice twice."""
    names = [name for names in row.terms.values() for name in names] + row.keywords
    first = {}
    for name in names:
        first.setdefault(name.casefold(), name)
    return list(first.values())


def ris_lines(rows, context):
    for row in rows:
        resource = row.resource
        fields = [("TY", RIS_TYPES.get(resource.kind, "GEN")), ("TI", resource.title)]
        # People are authors; without them the publisher stands as the corporate author.
        fields += [("AU", name) for name in resource.author_names]
        if resource.publisher:
            if not resource.author_names:
                fields.append(("AU", resource.publisher.name))
            fields.append(("PB", resource.publisher.name))
        if resource.year_published:
            fields.append(("PY", str(resource.year_published)))
        fields.append(("UR", resource.url or context.page_url(resource)))
        if resource.summary:
            fields.append(("AB", resource.summary))
        fields += [("KW", name) for name in keywords_of(row)]
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


def bibtex_lines(rows, context):
    for row in rows:
        resource = row.resource
        entry_type = BIBTEX_TYPES.get(resource.kind, "misc")
        # Double braces keep the title's capitals and make the publisher one corporate author
        # when no person is named.
        fields = [("title", f"{{{bibtex_text(resource.title)}}}")]
        if resource.author_names:
            fields.append(("author", " and ".join(map(bibtex_text, resource.author_names))))
        if resource.publisher:
            publisher = bibtex_text(resource.publisher.name)
            if not resource.author_names:
                fields.append(("author", f"{{{publisher}}}"))
            fields.append((BIBTEX_PUBLISHER_FIELD[entry_type], publisher))
        if resource.year_published:
            fields.append(("year", str(resource.year_published)))
        # url is verbatim in biblatex: percent-encode rather than escape.
        fields.append(("url", (resource.url or context.page_url(resource)).translate(URL_ESCAPES)))
        fields.append(("urldate", context.today.isoformat()))
        if resource.summary:
            fields.append(("abstract", bibtex_text(resource.summary)))
        keywords = keywords_of(row)
        if keywords:
            fields.append(("keywords", bibtex_text(", ".join(keywords))))
        fields.append(
            ("note", f"Catalogue page: {context.page_url(resource).translate(URL_ESCAPES)}")
        )
        # Slugs are unique and use only letters, digits and hyphens: safe, unique keys.
        yield f"@{entry_type}{{{resource.slug},\n"
        yield ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        yield "\n}\n\n"


def no_header(context):
    return ""


FORMATS = {
    "csv": Format("csv", "text/csv; charset=utf-8", csv_header, csv_rows),
    "ris": Format(
        "ris", "application/x-research-info-systems; charset=utf-8", no_header, ris_lines
    ),
    "bib": Format("bib", "application/x-bibtex; charset=utf-8", no_header, bibtex_lines),
}
