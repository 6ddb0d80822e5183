"""Spreadsheet import (with a preview) and export on the resource changelist."""

from django.contrib import messages
from django.template.response import TemplateResponse
from django.utils import timezone
from import_export.admin import ExportActionMixin, ImportMixin
from import_export.forms import ExportForm
from import_export.results import RowResult

from resources.curation.spreadsheets import (
    FORMATS,
    ResourceSpreadsheet,
    SpreadsheetImportForm,
)


class SpreadsheetAdmin(ImportMixin, ExportActionMixin):
    """Import with a preview, export of the filtered changelist or of the selected rows
    (django-import-export), in one set of columns: resources/curation/spreadsheets/."""

    resource_classes = [ResourceSpreadsheet]
    import_formats = FORMATS
    export_formats = FORMATS
    import_form_class = SpreadsheetImportForm
    export_form_class = ExportForm  # always every column, so an export imports back unchanged
    import_template_name = "admin/resources/resource/import.html"
    import_export_change_list_template = "admin/resources/resource/change_list.html"
    show_change_form_export = False

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_valid_export_item_pks(self, request):
        # Selected rows may only be ones this person can see (the library's default is all).
        return self.get_queryset(request).values_list("pk", flat=True)

    def get_import_data_kwargs(self, **kwargs):
        # Any refused row rolls back the whole import, not just that row.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def get_export_filename(self, request, queryset, file_format):
        return f"resources-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def add_data_read_fail_error_to_form(self, form, e):
        form.add_error(
            "import_file",
            "This file could not be read as the format chosen. Save it from your spreadsheet "
            "as “CSV UTF-8” or as an Excel workbook (.xlsx), then try again.",
        )

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The catalogue changed between preview and confirm: nothing was written.
            context = {
                **self.admin_site.each_context(request),
                "title": "Import",
                "opts": self.model._meta,
                "result": result,
                "nothing_written": True,
                "form": self.get_import_form_class(request)(
                    self.get_import_formats(), self.get_import_resource_classes(request)
                ),
            }
            return TemplateResponse(request, [self.import_template_name], context)
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        self.message_user(
            request,
            f"Import finished: {totals[RowResult.IMPORT_TYPE_NEW]} new, "
            f"{totals[RowResult.IMPORT_TYPE_UPDATE]} updated, "
            f"{totals[RowResult.IMPORT_TYPE_SKIP]} unchanged. New resources are drafts unless "
            "the spreadsheet said otherwise.",
            messages.SUCCESS,
        )
