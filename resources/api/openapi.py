"""The API's OpenAPI 3.1 description, built from the parameters the views check requests against
(resources.api.parameters) and the vocabularies in the database, so a librarian's new vocabulary
or term is described as soon as it is accepted. Schemas are JSON Schema 2020-12, as OpenAPI 3.1 has them."""

from django.urls import reverse

from resources.api.parameters import PAGE_PARAMETERS, resource_parameters
from resources.models import OrganisationKind, ResourceAccess, ResourceFormat, ResourceKind

VERSION = "1.0.0"


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema):
    return {"anyOf": [schema, {"type": "null"}]}


def text(description=None):
    return {"type": "string"} | ({"description": description} if description else {})


def record(properties, description=None):
    """An object with exactly these properties, all always present."""
    schema = {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }
    return schema | ({"description": description} if description else {})


def choice(choices):
    values = [value for value in choices.values if value]
    return record({"value": {"type": "string", "enum": values}, "label": text()})


LINK = {"type": "string", "format": "uri"}
SLUG = {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}


def schemas():
    organisation_brief = record({"slug": SLUG, "name": text(), "acronym": text()})
    return {
        "OrganisationBrief": organisation_brief,
        "Resource": record(
            {
                "slug": SLUG,
                "title": text(),
                "url": LINK | {"description": "Its page in this directory."},
                "web_address": nullable(LINK) | {"description": "Where to read it, if recorded."},
                "kind": choice(ResourceKind),
                "summary": text(),
                "publisher": nullable(ref("OrganisationBrief")),
                "current_publisher": nullable(ref("OrganisationBrief"))
                | {
                    "description": "Who carries the publisher's work today, if it closed or merged."
                },
                "authors": {"type": "array", "items": text()}
                | {
                    "description": "People who wrote it, family name first, in the publisher's order."
                },
                "partners": {"type": "array", "items": ref("OrganisationBrief")},
                "year_published": nullable({"type": "integer"}),
                "last_updated_on": nullable({"type": "string", "format": "date"}),
                "access": nullable(choice(ResourceAccess)),
                "format": nullable(choice(ResourceFormat)),
                "terms": {
                    "type": "object",
                    "description": "Its terms, by vocabulary slug (vocabularies it has terms in).",
                    "additionalProperties": {
                        "type": "array",
                        "items": record({"slug": SLUG, "name": text()}),
                    },
                },
                "keywords": {"type": "array", "items": text()},
                "published_at": nullable({"type": "string", "format": "date-time"}),
            },
            "A published resource.",
        ),
        "Organisation": record(
            {
                "slug": SLUG,
                "name": text(),
                "acronym": text(),
                "kind": choice(OrganisationKind),
                "website": nullable(LINK),
                "description": text(),
                "url": LINK | {"description": "Its page in this directory."},
                "succeeded_by": nullable(SLUG)
                | {
                    "description": "The organisation that took over most of its work, if it closed."
                },
                "successors": {"type": "array", "items": SLUG}
                | {"description": "Every organisation its work passed to, succeeded_by first."},
                "succeeded_on": nullable({"type": "string", "format": "date"}),
                "predecessors": {"type": "array", "items": SLUG},
                "resource_count": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Published resources it publishes or is a partner in, as its "
                    "page lists them.",
                },
            }
        ),
        "Term": record(
            {
                "slug": SLUG,
                "name": text(),
                "definition": text(),
                "synonyms": {"type": "array", "items": text()},
                "parent": nullable(SLUG) | {"description": "The broader term's slug."},
                "url": LINK,
            }
        ),
        "Vocabulary": record(
            {
                "slug": SLUG,
                "name": text(),
                "description": text(),
                "url": LINK,
                "terms": {"type": "array", "items": ref("Term")},
            }
        ),
        "ResourcePage": page_of("Resource"),
        "OrganisationPage": page_of("Organisation"),
        "VocabularyList": record(
            {
                "count": {"type": "integer", "minimum": 0},
                "results": {"type": "array", "items": ref("Vocabulary")},
            }
        ),
        "Index": record(
            dict.fromkeys(
                ["resources", "organisations", "vocabularies", "openapi", "documentation"], LINK
            )
        ),
        "Errors": record(
            {
                "errors": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["message"],
                        "properties": {
                            "parameter": text("The parameter at fault, when there is one."),
                            "value": text("Its value (at most 100 characters)."),
                            "message": text(),
                        },
                        "additionalProperties": False,
                    },
                }
            },
            "Every problem found with the request.",
        ),
    }


def page_of(name):
    page_link = nullable(LINK)
    return record(
        {
            "count": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "page_size": {"type": "integer", "minimum": 1},
            "num_pages": {"type": "integer", "minimum": 1},
            "next": page_link,
            "previous": page_link,
            "results": {"type": "array", "items": ref(name)},
        }
    )


def answer(description, schema):
    return {"description": description, "content": {"application/json": {"schema": ref(schema)}}}


BAD_REQUEST = answer(
    "Something in the query string is wrong: an unknown parameter, a single-valued parameter "
    "given twice, a value the parameter's schema does not allow (control characters in a "
    "search, an unknown term, publisher or type, a number out of range), or year_from after "
    "year_to. Every problem is listed.",
    "Errors",
)
PAGE_NOT_FOUND = "A page past the end of the results (the error says how many pages there are)."
# Answered by gunicorn before the app, as text: its request line limit is 4,094 bytes.
URI_TOO_LONG = {"description": "The address is too long for the server (over about 4,000 bytes)."}
SLUG_PARAMETER = {"name": "slug", "in": "path", "required": True, "schema": SLUG}


def operation(operation_id, summary, ok, *, parameters=(), description=None, not_found=None):
    responses = {"200": ok, "400": BAD_REQUEST, "414": URI_TOO_LONG}
    if not_found:
        responses["404"] = answer(not_found, "Errors")
    described = {"operationId": operation_id, "summary": summary}
    if description:
        described["description"] = description
    if parameters:
        described["parameters"] = list(parameters)
    return {"get": described | {"responses": responses}}


def one(operation_id, summary, schema, noun):
    """The operation that gets one thing by its slug."""
    return operation(
        operation_id,
        summary,
        answer(f"The {schema.lower()}.", schema),
        parameters=[SLUG_PARAMETER],
        not_found=f"No {noun} has this slug.",
    )


def description(request, vocabularies, publishers):
    """The OpenAPI 3.1 document for this server, these vocabularies and these publishers'
    slugs."""
    docs = request.build_absolute_uri(reverse("api-docs"))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Health Inequalities Resource Directory API",
            "version": VERSION,
            "summary": "The directory's catalogue as JSON: read-only, no key needed.",
            "description": (
                "Published resources, their publishers and the vocabularies that classify them. "
                "Filters and search follow the directory's finder exactly. Every endpoint "
                "answers GET and HEAD to any origin (CORS); a bad request is a 400 that lists "
                f"every problem. For people: {docs}"
            ),
        },
        "servers": [{"url": request.build_absolute_uri(reverse("api:index")).rstrip("/")}],
        "paths": {
            "/": operation("index", "Where everything is", answer("The endpoints.", "Index")),
            "/resources/": operation(
                "listResources",
                "Find published resources",
                answer("A page of resources.", "ResourcePage"),
                parameters=[
                    parameter.openapi()
                    for parameter in resource_parameters(vocabularies, publishers)
                ],
                description=(
                    "The finder's search and filters. Terms of one vocabulary are OR-ed, "
                    "different parameters AND-ed; a broader term includes its narrower terms. "
                    "An empty value is the same as leaving the parameter out."
                ),
                not_found=PAGE_NOT_FOUND,
            ),
            "/resources/{slug}/": one(
                "getResource", "One published resource", "Resource", "published resource"
            ),
            "/organisations/": operation(
                "listOrganisations",
                "Organisations A to Z",
                answer("A page of organisations.", "OrganisationPage"),
                parameters=[parameter.openapi() for parameter in PAGE_PARAMETERS],
                not_found=PAGE_NOT_FOUND,
            ),
            "/organisations/{slug}/": one(
                "getOrganisation", "One organisation", "Organisation", "organisation"
            ),
            "/vocabularies/": operation(
                "listVocabularies",
                "Every vocabulary with its terms",
                answer("The vocabularies, in the site's order.", "VocabularyList"),
            ),
            "/vocabularies/{slug}/": one(
                "getVocabulary", "One vocabulary with its terms", "Vocabulary", "vocabulary"
            ),
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenAPI",
                    "summary": "This description",
                    "responses": {
                        "200": {
                            "description": "The OpenAPI 3.1 document.",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "400": BAD_REQUEST,
                        "414": URI_TOO_LONG,
                    },
                }
            },
        },
        "components": {"schemas": schemas()},
    }
