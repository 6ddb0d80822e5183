"""The spreadsheet files the admin takes and gives: CSV as spreadsheets save it, and Excel."""

import tablib
from django import forms
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm


class SpreadsheetCSV(CSV):
    """CSV as spreadsheets save it: UTF-8 with or without a byte-order mark (or Windows-1252 from
    older Excel), Windows line endings. Exports carry the byte-order mark, so Excel reads the
    accents and dashes correctly."""

    def is_binary(self):
        return True  # decoded here, not by the admin, so that a second encoding can be tried

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            try:
                in_stream = in_stream.decode("utf-8-sig")
            except UnicodeDecodeError:
                in_stream = in_stream.decode("cp1252", errors="replace")
        return tablib.import_set(in_stream, format="csv", **kwargs)

    def export_data(self, dataset, **kwargs):
        return ("\ufeff" + super().export_data(dataset, **kwargs)).encode("utf-8")


FORMATS = [SpreadsheetCSV, XLSX]
EXTENSIONS = {".csv": 0, ".xlsx": 1}


class SpreadsheetImportForm(ImportForm):
    """The import form; the format is told from the file name when it is left unchosen."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["import_file"].label = "Spreadsheet"
        self.fields[
            "import_file"
        ].help_text = "A CSV file or an Excel workbook (.xlsx) whose first row names the columns."
        self.fields["format"].required = False
        self.fields["format"].help_text = "Leave unchosen to tell it from the file name."
        self.fields["format"].choices = [
            ("", "From the file name"),
            *[(value, label.upper()) for value, label in self.fields["format"].choices if value],
        ]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload and not cleaned.get("format"):
            extension = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            if extension in EXTENSIONS:
                cleaned["format"] = str(EXTENSIONS[extension])
            else:
                self.add_error(
                    "format",
                    forms.ValidationError(
                        "Choose the file's format: this file's name does not end in .csv or .xlsx."
                    ),
                )
        return cleaned
