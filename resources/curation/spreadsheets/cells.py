"""Spreadsheet cells: how each kind of value is read as a librarian writes it and written back the
same way, so an export imports back unchanged."""

import datetime
import re

from import_export import widgets

from resources.finder import MAX_YEAR, MIN_YEAR


def cell_text(value):
    """A cell as text: Excel's numbers without a spurious ".0", Windows line endings made plain."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def header_key(header):
    """How a column heading is recognised: case, spacing, '_' and '-' do not matter."""
    return " ".join(cell_text(header).replace("_", " ").replace("-", " ").lower().split())


def quoted(values):
    values = [f"“{value}”" for value in values]
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " and " + values[-1]


# Widgets: each reads a cell the way a librarian writes it and writes it back the same way -------


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return cell_text(value)

    def render(self, value, obj=None, **kwargs):
        return value or ""


class UrlWidget(TextWidget):
    """A web address; one typed without its scheme gets https://, as the admin form assumes."""

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if text and "://" not in text and re.match(r"^[\w-]+(\.[\w-]+)+(/|$)", text):
            text = f"https://{text}"
        return text


class KeepWhenBlankWidget(TextWidget):
    """A blank cell leaves the value as it is (a new resource gets its default)."""

    def clean(self, value, row=None, **kwargs):
        return cell_text(value) or None


class ChoiceWidget(widgets.Widget):
    """One of a model's choices, written as its label ("Data tool") or its value ("data-tool")."""

    def __init__(self, choices, noun, *, blank=None):
        self.choices, self.noun, self.blank = choices, noun, blank
        self.lookup = {}
        for value, label in choices.choices:
            self.lookup[value.lower()] = value
            self.lookup[str(label).lower()] = value

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return self.blank
        try:
            return self.lookup[text.lower()]
        except KeyError:
            labels = ", ".join(str(label) for value, label in self.choices.choices if value)
            raise ValueError(
                f"“{text}” is not a {self.noun} we know. Use one of: {labels}."
            ) from None

    def render(self, value, obj=None, **kwargs):
        return str(self.choices(value).label) if value else ""


class YearWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        if not re.fullmatch(r"\d{4}", text):
            raise ValueError(f"“{text}” is not a year. Write it as four digits, e.g. 2021.")
        if not MIN_YEAR <= int(text) <= MAX_YEAR:
            raise ValueError(f"{text} is not a year between {MIN_YEAR} and {MAX_YEAR}.")
        return int(text)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else str(value)


class DateWidget(widgets.Widget):
    FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"]

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = cell_text(value)
        if not text:
            return None
        for pattern in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValueError(f"“{text}” is not a date. Write it as 2024-03-31 or 31/03/2024.")

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else value.isoformat()
