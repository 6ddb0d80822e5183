"""The History pages of the resource, organisation and term admins: who changed what and when,
and Revert. A version's page shows that version whole (a resource's terms and partners too); a
revert says which version it restored; the person who made a change is named, and linked only for
someone who may open people's records."""

from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import to_historic
from simple_history.utils import get_m2m_reverse_field_name


class HistoryAdmin(SimpleHistoryAdmin):
    object_history_list_template = "admin/history_list.html"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        version = to_historic(obj) if obj is not None else None
        if version is None:
            return form
        # An old version's own fields come with it; its many-to-many links are kept apart.
        links = {
            field.name: [
                getattr(link, f"{get_m2m_reverse_field_name(field)}_id")
                for link in getattr(version, field.name).all()
            ]
            for field in version._history_m2m_fields
        }

        class VersionForm(form):
            def __init__(self, *args, **kwargs):
                kwargs["initial"] = {**links, **(kwargs.get("initial") or {})}
                super().__init__(*args, **kwargs)

        return VersionForm

    def save_model(self, request, obj, form, change):
        version = to_historic(obj)
        if version is not None:  # saved from a version's page: a revert
            when = timezone.localtime(version.history_date)
            obj._change_reason = f"Reverted to the version of {when:%-d %b %Y, %H:%M}"
        super().save_model(request, obj, form, change)
