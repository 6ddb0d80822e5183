"""Writes that carry the catalogue's rules: the draft → in review → published → archived flow."""

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


@transaction.atomic
def transition(resource, to, *, by):
    """Move `resource` to status `to` on behalf of `by`, stamping who and when."""
    check_transition(resource, to, by=by)
    resource.status = to
    resource.updated_by = by
    fields = ["status", "updated_by", "updated_at"]
    if to == ResourceStatus.PUBLISHED and resource.published_at is None:
        resource.published_at = timezone.now()
        fields.append("published_at")
    resource.save(update_fields=fields)
    return resource
