"""Columns that name things in the catalogue (a publisher, partners, terms) or hold several
values (keywords), and how a row is matched to a resource."""

import re
from collections import defaultdict

from import_export import fields, widgets

from resources.curation.spreadsheets.cells import UrlWidget, cell_text, quoted
from resources.url_normalisation import normalise_url

SEPARATOR = "; "  # between the values of a many-valued cell, on export
TITLE, WEB_ADDRESS, SLUG = "Title", "Web address", "Slug"


class NameIndex:
    """Terms or organisations by their name and slug, then by their other names (synonyms,
    acronym), ignoring case. Built once per import."""

    def __init__(self, objects, noun, *, other_names):
        self.noun = noun
        self.preferred, self.others = defaultdict(list), defaultdict(list)
        for obj in objects:
            for name in {obj.name.lower(), obj.slug.lower()}:
                self.preferred[name].append(obj)
            for name in {name.lower() for name in other_names(obj) if name}:
                self.others[name].append(obj)

    def find(self, text):
        """The one object `text` names; ValueError saying why not."""
        key = text.lower()
        found = self.preferred.get(key) or self.others.get(key) or []
        if len(found) > 1:
            names = quoted(sorted(obj.name for obj in found))
            raise ValueError(f"“{text}” could mean {names}: write the full name.")
        if not found:
            raise LookupError(text)
        return found[0]

    def find_all(self, value):
        """Every object a cell names, separated by ";" (or by "," when that finds them)."""
        found, unknown = [], []
        for piece in cell_text(value).split(";"):
            piece = piece.strip()
            if not piece:
                continue
            try:
                found.append(self.find(piece))
                continue
            except LookupError:
                if "," not in piece:
                    unknown.append(piece)
                    continue
            for part in (part.strip() for part in piece.split(",")):
                try:
                    if part:
                        found.append(self.find(part))
                except LookupError:
                    unknown.append(part)
        if unknown:
            if len(unknown) == 1:
                missing, pronoun = f"is not one of the catalogue's {self.noun}", "it"
            else:
                missing, pronoun = f"are not among the catalogue's {self.noun}", "them"
            raise ValueError(
                f"{quoted(unknown)} {missing} "
                f"(check the spelling, or add {pronoun} in the admin first)."
            )
        return list(dict.fromkeys(found))


class OrganisationWidget(widgets.Widget):
    """The publisher, by name, slug or acronym. `index` is set by the spreadsheet."""

    index = None

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        try:
            return self.index().find(text)
        except LookupError:
            raise ValueError(
                f"“{text}” is not an organisation in the catalogue (by name, slug or acronym); "
                "add it in the admin first."
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


def identity(row):
    """What a row is matched by: its normalised web address and its slug."""
    return normalise_url(UrlWidget().clean(row.get(WEB_ADDRESS))), cell_text(row.get(SLUG))


# Columns that are many-valued (partners, keywords, one per vocabulary) --------------------------


class ManyColumn(fields.Field):
    """A many-valued column: read into `parse(row)`, written after the resource is saved."""

    def __init__(self, column_name):
        super().__init__(attribute=None, column_name=column_name, saves_null_values=False)

    def parse(self, row):
        raise NotImplementedError

    def current(self, resource):
        raise NotImplementedError

    def comparable(self, values):
        return {value.pk for value in values}

    def apply(self, resource, values):
        raise NotImplementedError

    def export(self, instance, **kwargs):
        return SEPARATOR.join(self.names(instance))

    def written(self, values):
        """Parsed values as an export would write them."""
        return SEPARATOR.join(sorted((value.name for value in values), key=str.lower))


class PartnersColumn(ManyColumn):
    index = None

    def parse(self, row):
        return self.index().find_all(row[self.column_name])

    def current(self, resource):
        return {partner.pk for partner in resource.partners.all()}

    def apply(self, resource, values):
        if resource._is_new:
            resource.partners.add(*values)
        else:
            resource.partners.set(values)

    def names(self, resource):
        return sorted((partner.name for partner in resource.partners.all()), key=str.lower)


class KeywordsColumn(ManyColumn):
    def parse(self, row):
        words = re.split(r"[;,]", cell_text(row[self.column_name]))
        words = {word.strip().lower(): word.strip() for word in words if word.strip()}
        return list(words.values())

    def comparable(self, values):
        return {value.lower() for value in values}

    def written(self, values):
        return SEPARATOR.join(sorted(values, key=str.lower))

    def current(self, resource):
        return {tag.name.lower() for tag in resource.keywords.all()}

    def apply(self, resource, values):
        if resource._is_new:
            resource.keywords.add(*values)
        else:
            resource.keywords.set(values)

    def names(self, resource):
        return sorted((tag.name for tag in resource.keywords.all()), key=str.lower)


class VocabularyColumn(ManyColumn):
    """One vocabulary's terms, by name, slug, synonym or the slug of a term merged into it (with
    former_slugs prefetched); replaces that vocabulary's terms only."""

    def __init__(self, vocabulary, terms):
        super().__init__(vocabulary.name)
        self.vocabulary = vocabulary
        self.terms = terms
        self.index = NameIndex(
            terms,
            f"{vocabulary.name.lower()} terms",
            other_names=lambda term: [
                *term.synonym_list,
                *(former.slug for former in term.former_slugs.all()),
            ],
        )

    def parse(self, row):
        return self.index.find_all(row[self.column_name])

    def current(self, resource):
        return {
            term.pk for term in resource.terms.all() if term.vocabulary_id == self.vocabulary.pk
        }

    def apply(self, resource, values):
        raise AssertionError("ResourceSpreadsheet.save_m2m sets every vocabulary's terms at once")

    def names(self, resource):
        return [
            term.name for term in resource.terms.all() if term.vocabulary_id == self.vocabulary.pk
        ]
