"""The API's query parameters: what each endpoint accepts, checked strictly, and what the OpenAPI
description documents. The finder's own parameters come from the finder's rules, one per
vocabulary in the database, then the page's."""

from dataclasses import dataclass

from resources.finder import (
    AS_TYPED,
    MAX_QUERY_LENGTH,
    MAX_YEAR,
    MIN_YEAR,
    SORTS,
    UNREADABLE,
    UNREADABLE_CHARACTERS,
    Finder,
    Problem,
    clean_text,
    whole_number,
)
from resources.models import ResourceAccess, ResourceKind
from taxonomy.models import PAGE_SIZE_PARAMETER

DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 20, 100
ECHOED_LENGTH = 100  # characters of a bad value repeated back in an error


@dataclass(frozen=True)
class Parameter:
    """One query parameter: its name, what it does, and its JSON Schema."""

    name: str
    description: str
    schema: dict

    @property
    def is_list(self):
        return self.schema["type"] == "array"

    def openapi(self):
        """As the description has it: an empty value is also allowed, and means leaving the
        parameter out (as on the finder page, whose form sends q= with an empty search box)."""
        if self.is_list:
            schema = self.schema | {"items": or_empty(self.schema["items"])}
        else:
            schema = or_empty(self.schema)
        described = {
            "name": self.name,
            "in": "query",
            "required": False,
            "description": self.description,
            "schema": schema,
        }
        if self.is_list:
            described |= {"style": "form", "explode": True}
        return described


def or_empty(schema):
    return {"anyOf": [schema, {"const": ""}]}


def any_of(values):
    """The schema of a parameter that may be repeated, each value one of `values` (a value
    given twice counts once)."""
    return {"type": "array", "items": {"type": "string", "enum": list(values)}}


PAGE_PARAMETERS = [
    Parameter("page", "Which page of results.", {"type": "integer", "minimum": 1, "default": 1}),
    Parameter(
        PAGE_SIZE_PARAMETER,
        f"Results a page, 1 to {MAX_PAGE_SIZE}.",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
    ),
]


def resource_parameters(vocabularies, publishers=None):
    """The finder's parameters, one per vocabulary among them, then the page's. `publishers`:
    the organisation slugs a publisher may be (for the description; the finder checks them)."""
    year = {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}
    publisher = {"type": "string"}
    if publishers is not None:
        publisher["enum"] = list(publishers)
    return [
        Parameter(
            "q",
            "Words to search for, ranked as on the finder: title first, then keywords, synonyms, "
            'acronyms and publisher, then the summary. "A phrase", or and -word mean the same '
            "on every database. A word that is neither English nor the catalogue's is corrected "
            "to the closest catalogue word (see spelling); when no resource has enough of the "
            "words, those with any of them come, the most words first. Without a sort, results "
            "come best match first. Control characters (other than a line break) are refused.",
            {
                "type": "string",
                "maxLength": MAX_QUERY_LENGTH,
                "pattern": f"^[^{UNREADABLE_CHARACTERS}]*$",
            },
        ),
        Parameter(
            "spelling",
            f"{AS_TYPED}: search the words of q as typed, correcting none.",
            {"type": "string", "enum": [AS_TYPED]},
        ),
        *(
            Parameter(
                vocabulary.slug,
                f"{vocabulary.name}: term slugs, repeat for more than one. Terms of one "
                "vocabulary are OR-ed, vocabularies AND-ed; a broader term includes its "
                "narrower terms.",
                any_of(term.slug for term in Finder.in_tree_order(vocabulary.terms.all())),
            )
            for vocabulary in vocabularies
        ),
        Parameter("kind", "Type of resource; repeat for more than one (OR).", any_of(ResourceKind)),
        Parameter(
            "publisher",
            "Publisher's organisation slug (see /organisations/); repeat for more than one (OR).",
            {"type": "array", "items": publisher},
        ),
        Parameter(
            "access",
            "Kind of access; repeat for more than one (OR).",
            any_of(value for value in ResourceAccess.values if value),
        ),
        Parameter(
            "year_from",
            "Published in or after this year; a year_from after year_to is refused.",
            year,
        ),
        Parameter("year_to", "Published in or before this year.", year),
        Parameter(
            "sort",
            "Order of results: "
            + ", ".join(f"{name} ({label.lower()})" for name, label in SORTS.items())
            + ". The default is relevance with a search, else title.",
            {"type": "string", "enum": list(SORTS)},
        ),
        *PAGE_PARAMETERS,
    ]


def unexpected(request, parameters):
    """Problems with the query string's names: unknown ones, and single values given twice."""
    by_name = {parameter.name: parameter for parameter in parameters}
    problems = []
    for name, values in request.GET.lists():
        parameter = by_name.get(name)
        shown, damaged = clean_text(name)
        if parameter is None and damaged:
            problems.append(Problem(name, values[0], f"{UNREADABLE} in a parameter's name."))
        elif parameter is None:
            problems.append(
                Problem(name, values[0], f"“{shown}” is not a parameter of this endpoint.")
            )
        elif len(values) > 1 and not parameter.is_list:
            problems.append(
                Problem(name, values[1], f"Give “{shown}” once, not {len(values)} times.")
            )
    return problems


def page_request(request, problems):
    """The page number and size asked for (empty means the default), adding any problem."""
    asked = []
    for parameter in PAGE_PARAMETERS:
        value = request.GET.get(parameter.name, "")
        lowest, highest = parameter.schema["minimum"], parameter.schema.get("maximum")
        number = whole_number(value) if value else parameter.schema["default"]
        if number is None or number < lowest or (highest and number > highest):
            limits = f"from {lowest} to {highest}" if highest else f"of {lowest} or more"
            shown = value[:ECHOED_LENGTH]
            problems.append(
                Problem(parameter.name, value, f"“{shown}” is not a whole number {limits}.")
            )
            number = parameter.schema["default"]
        asked.append(number)
    return asked
