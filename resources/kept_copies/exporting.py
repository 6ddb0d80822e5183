"""A kept copy as CSV, RIS or BibTeX: the same writers as a live view's exports
(resources/exports/writers.py), fed from the copy's own items, so the file holds what the copy
holds."""

from dataclasses import dataclass

from resources.exports import Row


@dataclass(frozen=True)
class FrozenVocabulary:
    """A vocabulary's name as the copy kept it, standing in for the Vocabulary the writers read
    (`pk` to look a row's terms up, `name` for the CSV's column)."""

    pk: str
    name: str


@dataclass(frozen=True)
class FrozenPublisher:
    name: str


class FrozenResource:
    """A kept item with the attributes the export writers read from a resource."""

    def __init__(self, item):
        self.item = item
        self.publisher = FrozenPublisher(item.publisher_name) if item.publisher_name else None

    def __getattr__(self, name):
        return getattr(self.item, name)


def frozen_vocabularies(copy):
    return [FrozenVocabulary(name, name) for name in copy.vocabulary_names]


def export_rows(copy):
    """The copy's items as export rows, in the copy's order, read a chunk at a time."""
    for item in copy.items.order_by("position").iterator(chunk_size=500):
        yield Row(FrozenResource(item), item.terms, item.keywords)
