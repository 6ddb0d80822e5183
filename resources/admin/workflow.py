"""The workflow's bulk actions on the resource changelist: send for review, publish, archive,
return to draft, mark reviewed. Each loops over the workflow's own moves, which refuse in plain
words (resources.curation.workflow)."""

from django.contrib import admin, messages

from resources.curation.workflow import TransitionRefused, mark_reviewed, transition
from resources.models import ResourceStatus


class WorkflowActions:
    """Admin mixin: the workflow's actions (list them in `actions`) and the publish permission."""

    def move_selected(self, request, queryset, to):
        moved, refused = 0, []
        for resource in queryset:
            try:
                transition(resource, to, by=request.user)
                moved += 1
            except TransitionRefused as refusal:
                refused.append(str(refusal))
        if moved:
            noun = "resource" if moved == 1 else "resources"
            self.message_user(
                request,
                f"{moved} {noun} moved to {to.label.lower()}.",
                messages.SUCCESS,
            )
        for reason in refused:
            self.message_user(request, reason, messages.WARNING)

    @admin.action(description="Send selected resources for review", permissions=["change"])
    def send_to_review(self, request, queryset):
        self.move_selected(request, queryset, ResourceStatus.IN_REVIEW)

    @admin.action(description="Publish selected resources", permissions=["publish"])
    def publish(self, request, queryset):
        self.move_selected(request, queryset, ResourceStatus.PUBLISHED)

    @admin.action(description="Archive selected resources", permissions=["publish"])
    def archive(self, request, queryset):
        self.move_selected(request, queryset, ResourceStatus.ARCHIVED)

    @admin.action(description="Return selected resources to draft", permissions=["change"])
    def return_to_draft(self, request, queryset):
        self.move_selected(request, queryset, ResourceStatus.DRAFT)

    @admin.action(description="Mark selected resources as reviewed today", permissions=["change"])
    def mark_reviewed(self, request, queryset):
        count = 0
        for resource in queryset:
            mark_reviewed(resource, by=request.user)
            count += 1
        noun = "resource" if count == 1 else "resources"
        self.message_user(
            request,
            f"{count} {noun} marked as reviewed; next review in 12 months.",
            messages.SUCCESS,
        )

    def has_publish_permission(self, request):
        return request.user.has_perm("resources.publish_resource")
