"""The librarians' workbench: one module per part of the catalogue, each registering its models
with the admin site when imported here (Django imports resources.admin at start-up)."""

from resources.admin import (
    alerts,
    curation,
    kept_copies,
    organisations,
    resources,
    teams,
    terms,
    ways_in,
)

__all__ = [
    "alerts",
    "curation",
    "kept_copies",
    "organisations",
    "resources",
    "teams",
    "terms",
    "ways_in",
]
