"""A visitor's suggestion of a resource: filed as a draft for the librarians, unless the catalogue
already has its web address."""

from dataclasses import dataclass
from enum import StrEnum

from django.db import IntegrityError, transaction

from resources.models import Resource, ResourceStatus


class SuggestionOutcome(StrEnum):
    RECEIVED = "received"  # a new draft, waiting for a librarian
    PUBLISHED = "published"  # the catalogue already has it, published
    CONSIDERING = "considering"  # the catalogue already has it, not (or no longer) public


@dataclass(frozen=True)
class Suggestion:
    outcome: SuggestionOutcome
    resource: Resource


def suggest_resource(*, title, url="", summary="", publisher="", email=""):
    """File a visitor's suggestion as a draft, unless the catalogue already has its web address.

    The suggester's words are kept as typed: the publisher as free text for a librarian to match
    to an organisation, the email only for replying. Which resource matched is for the caller to
    show or not: only a published one may be named to the public.
    """

    def already_catalogued():
        return Resource.objects.at_address(url).first()

    existing = already_catalogued()
    if existing is None:
        resource = Resource(
            title=title,
            url=url,
            summary=summary,
            suggested_publisher=publisher,
            suggested_by_email=email,
            is_suggestion=True,
            status=ResourceStatus.DRAFT,
        )
        try:
            with transaction.atomic():
                resource.save()
            return Suggestion(SuggestionOutcome.RECEIVED, resource)
        except IntegrityError:
            # Someone filed the same address a moment ago.
            existing = already_catalogued()
            if existing is None:
                raise
    if existing.status == ResourceStatus.PUBLISHED:
        return Suggestion(SuggestionOutcome.PUBLISHED, existing)
    return Suggestion(SuggestionOutcome.CONSIDERING, existing)
