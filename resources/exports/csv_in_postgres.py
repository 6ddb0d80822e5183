"""A live view's CSV lines written by PostgreSQL, byte for byte what writers.csv_rows writes:
each line is built in the statement (rows.lateral_sql), so Python only joins the lines a chunk
at a time. Measured at 20,000 resources, the whole catalogue's CSV took half as long or less
once Python stopped writing each row (docs/performance.md, "Exports from the database").

Every rule of writers.csv_rows has its counterpart here, and tests/resources/views/
test_exports_streaming.py compares the two on awkward values:
- cells that start as a formula would get a leading quote (writers.neutralise);
- quoting as csv.writer's default: a cell with a comma, a double quote, CR or LF is put in
  double quotes with its double quotes doubled; CRLF ends each line;
- authors one per line as Python's str.splitlines() and str.strip() read them (the same
  characters, taken from Python);
- term names in the vocabulary's order (position, then name by code point), keywords by
  their lower case. PostgreSQL's lower() and Python's str.lower() differ for a few characters
  (Python lowers "İ" to two), which could only change the order of two such keywords.
"""

import sys

from taggit.models import Tag, TaggedItem

from resources.exports.rows import chunks_of, keywords_content_type, lateral_sql
from resources.exports.writers import FORMULA_STARTS
from resources.models import Resource, ResourceAccess, ResourceKind

WHITESPACE = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"  # where str.splitlines() breaks
NEEDS_QUOTES = '[",\r\n]'


def csv_line_chunks(queryset, context):
    """The view's CSV lines after the header, a chunk of lines joined into one string."""
    sql, params = csv_sql(queryset, context)
    for chunk in chunks_of(queryset.db, sql, params):
        yield "".join(line for (line,) in chunk)


def csv_sql(queryset, context):
    vocabularies = context.vocabularies
    prefix, suffix = context.page_url_pattern.split("{}")
    cells, params = [], []

    def cell(expression, *expression_params):
        cells.append(expression)
        params.extend(expression_params)

    cell("r.title")
    cell("r.url")
    cell("%s || r.slug || %s", prefix, suffix)
    cell(*labelled("r.kind", ResourceKind.choices))
    cell(
        "CASE WHEN r.authors = '' THEN '' ELSE COALESCE(("
        "  SELECT string_agg(author.name, '; ' ORDER BY author.n) FROM ("
        "    SELECT regexp_replace(line.text, %s, '', 'g') AS name, line.n"
        "    FROM regexp_split_to_table(r.authors, %s) WITH ORDINALITY AS line(text, n)"
        "  ) AS author WHERE author.name <> ''), '') END",
        f"^[{WHITESPACE}]+|[{WHITESPACE}]+$",
        f"[{LINE_BREAKS}]",
    )
    cell("COALESCE(p.name, '')")
    cell("COALESCE(NULLIF(r.year_published, 0)::text, '')")
    cell(*labelled("r.access", [("", ""), *ResourceAccess.choices]))
    for vocabulary in vocabularies:
        # Each vocabulary's names, from one pass over the resource's terms (`terms` below).
        cell(f"COALESCE(terms.of_{int(vocabulary.pk)}, '')")
    cell("COALESCE(keywords.names, '')")
    cell("r.summary")

    terms_join, terms_params = terms_by_vocabulary(vocabularies)
    keywords_join = (
        "CROSS JOIN LATERAL (SELECT string_agg(keyword.name, '; '"
        ' ORDER BY lower(keyword.name) COLLATE "C", keyword.name COLLATE "C") AS names'
        f" FROM (SELECT (SELECT tag.name FROM {Tag._meta.db_table} tag WHERE tag.id = tagged.tag_id)"
        f" FROM {TaggedItem._meta.db_table} tagged"
        " WHERE tagged.content_type_id = %s AND tagged.object_id = r.id OFFSET 0) AS keyword(name)"
        ") AS keywords"
    )
    line = " || ',' || ".join(quoted(f"c{number}") for number in range(len(cells)))
    columns = ", ".join(f"{cell} AS c{number}" for number, cell in enumerate(cells))
    sql, cell_params = lateral_sql(
        queryset,
        columns,
        params,
        f"{terms_join} {keywords_join}",
        [*terms_params, keywords_content_type()],
    )
    quoting = [NEEDS_QUOTES, list(FORMULA_STARTS), list(FORMULA_STARTS)] * len(cells)
    return f"SELECT {line} || E'\\r\\n' FROM ({sql}) AS exported", [*quoting, *cell_params]


def terms_by_vocabulary(vocabularies):
    """A lateral join giving each vocabulary's term names for resource `r`, in the vocabulary's
    order, from one pass over its term links: names and order are looked up by term id in
    arrays passed with the statement (a join to the terms per resource cost more than the rest
    of the row)."""
    terms = sorted(
        (term for vocabulary in vocabularies for term in vocabulary.terms.all()),
        key=lambda term: (term.position, term.name),
    )
    size = max((term.pk for term in terms), default=0)
    names, ranks = [None] * size, [None] * size
    for rank, term in enumerate(terms):
        names[term.pk - 1], ranks[term.pk - 1] = term.name, rank
    aggregates, params = [], []
    for vocabulary in vocabularies:
        aggregates.append(
            "string_agg((%s::text[])[link.term_id], '; ' ORDER BY (%s::int[])[link.term_id])"
            f" FILTER (WHERE link.term_id = ANY(%s::int[])) AS of_{int(vocabulary.pk)}"
        )
        params += [names, ranks, [term.pk for term in vocabulary.terms.all()]]
    join = (
        # An aggregate always gives one row, so a resource without terms keeps its line.
        f"CROSS JOIN LATERAL (SELECT {', '.join([*aggregates, 'count(*) AS links'])}"
        f" FROM {Resource.terms.through._meta.db_table} link"
        " WHERE link.resource_id = r.id) AS terms"
    )
    return join, params


def labelled(column, choices):
    """A CASE giving each stored value's label, as get_FOO_display() does (the value itself if
    it has none)."""
    whens = " ".join("WHEN %s THEN %s" for _ in choices)
    params = [str(part) for choice in choices for part in choice]
    return f"CASE {column} {whens} ELSE {column} END", *params


def quoted(column):
    """A cell as csv.writer writes it after writers.neutralise."""
    neutralised = f"CASE WHEN left({column}, 1) = ANY(%s) THEN '''' || {column} ELSE {column} END"
    return (
        f"CASE WHEN {column} ~ %s THEN '\"' || replace({neutralised}, '\"', '\"\"') || '\"'"
        f" ELSE {neutralised} END"
    )
