"""The catalogue's words, which misspellings are corrected against (resources.search.spelling)."""

from django.db import models


class SearchWord(models.Model):
    """One word of some resource's title or search data, of three to a hundred letters. Kept by the
    search indexing (resources.search.indexing) as resources are indexed, so that checking a
    typed word is one indexed lookup instead of reading every resource's text."""

    word = models.CharField(max_length=100, primary_key=True)

    def __str__(self):
        return self.word
