"""Writes that carry the catalogue's rules: the draft → in review → published → archived flow,
and reviews."""

from django.db import transaction
from django.utils import timezone

from resources.models import ResourceStatus

# status → the statuses it may move to, and the permission each move needs.
TRANSITIONS = {
    ResourceStatus.DRAFT: {
        ResourceStatus.IN_REVIEW: "resources.change_resource",
        ResourceStatus.ARCHIVED: "resources.publish_resource",
    },
    ResourceStatus.IN_REVIEW: {
        ResourceStatus.DRAFT: "resources.change_resource",
        ResourceStatus.PUBLISHED: "resources.publish_resource",
        ResourceStatus.ARCHIVED: "resources.publish_resource",
    },
    ResourceStatus.PUBLISHED: {
        ResourceStatus.IN_REVIEW: "resources.publish_resource",
        ResourceStatus.ARCHIVED: "resources.publish_resource",
    },
    ResourceStatus.ARCHIVED: {
        ResourceStatus.DRAFT: "resources.publish_resource",
    },
}


class TransitionRefused(Exception):
    """A status change the rules do not allow; the message says why, for the librarian."""


def check_transition(resource, to, *, by):
    """Raise TransitionRefused unless `by` may move `resource` to status `to`."""
    current = ResourceStatus(resource.status)
    to = ResourceStatus(to)
    permission = TRANSITIONS[current].get(to)
    if permission is None:
        raise TransitionRefused(
            f"“{resource}” is {current.label.lower()} and cannot go straight to {to.label.lower()}."
        )
    if not by.has_perm(permission):
        raise TransitionRefused(
            f"You do not have permission to move “{resource}” to {to.label.lower()}."
        )


def check_imported_status(current, to, *, by):
    """Raise TransitionRefused unless `by` may give a resource now `current` (None for a new one)
    status `to` through an import.

    A spreadsheet may skip a step of the flow (a draft straight to published), but only someone
    who may publish can do that: any move to or from published or archived needs the publish
    permission, as the flow's own moves do."""
    to = ResourceStatus(to)
    current = ResourceStatus(current) if current else None
    if current is None:
        drafting = to in (ResourceStatus.DRAFT, ResourceStatus.IN_REVIEW)
        permission = "resources.add_resource" if drafting else "resources.publish_resource"
    elif current == to:
        return
    else:
        permission = TRANSITIONS[current].get(to, "resources.publish_resource")
    if not by.has_perm(permission):
        raise TransitionRefused(
            f"You do not have permission to make a resource {to.label.lower()}"
            + (f" (it is {current.label.lower()} now)." if current else ".")
        )


def set_status(resource, to):
    """Give `resource` status `to`, stamping when it was first published. Returns the fields set."""
    resource.status = to
    fields = ["status"]
    if to == ResourceStatus.PUBLISHED and resource.published_at is None:
        resource.published_at = timezone.now()
        fields.append("published_at")
    return fields


@transaction.atomic
def transition(resource, to, *, by):
    """Move `resource` to status `to` on behalf of `by`, stamping who and when."""
    check_transition(resource, to, by=by)
    fields = set_status(resource, to)
    resource.updated_by = by
    resource.save(update_fields=[*fields, "updated_by", "updated_at"])
    return resource


REVIEW_INTERVAL_MONTHS = 12


def add_months(day, months):
    """The same day `months` later (the last day of the month when that day does not exist)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


@transaction.atomic
def mark_reviewed(resource, *, by, next_review_on=None):
    """Record that `by` checked the resource today; the next review is due in 12 months unless a
    librarian chose another date."""
    if not by.has_perm("resources.change_resource"):
        raise TransitionRefused(f"You do not have permission to review “{resource}”.")
    now = timezone.now()
    resource.last_reviewed_at = now
    resource.last_reviewed_by = by
    resource.review_due_on = next_review_on or add_months(
        timezone.localdate(now), REVIEW_INTERVAL_MONTHS
    )
    resource.updated_by = by
    resource.save(
        update_fields=[
            "last_reviewed_at",
            "last_reviewed_by",
            "review_due_on",
            "updated_by",
            "updated_at",
        ]
    )
    return resource
