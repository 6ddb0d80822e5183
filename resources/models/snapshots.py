"""Counts of the whole catalogue kept in the database, and the version number they belong to."""

from django.db import models


class CatalogueVersion(models.Model):
    """One row: a number every change to the catalogue raises (resources.caching.catalogue_changed),
    so counts kept in CatalogueSnapshot know whether they still hold."""

    number = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"Catalogue version {self.number}"


class CatalogueSnapshot(models.Model):
    """Counts of the whole published catalogue (home page, unfiltered finder) for one catalogue
    version, kept in the database: shared by every process, and read with one query instead of
    counting 100,000 resources (resources.caching.kept)."""

    name = models.CharField(max_length=100, primary_key=True)
    version = models.PositiveBigIntegerField()
    value = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.name} at version {self.version}"
