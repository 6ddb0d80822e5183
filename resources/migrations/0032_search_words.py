"""The catalogue's words, kept for correcting misspellings (resources.search.spelling), filled
from every resource's indexed text; on PostgreSQL with a trigram index, so the words spelt like a
typed word are found without reading them all."""

from django.db import migrations, models

from resources.search.words import words_of

# As resources.search.spelling.SHORTEST_KEPT and LONGEST_KEPT, fixed as they were at this migration.
SHORTEST_KEPT, LONGEST_KEPT = 3, 100
TRIGRAM_INDEX = (
    "CREATE INDEX IF NOT EXISTS search_word_trigrams ON resources_searchword "
    "USING gin (word gin_trgm_ops)"
)


def fill(apps, schema_editor):
    Resource = apps.get_model("resources", "Resource")
    SearchWord = apps.get_model("resources", "SearchWord")
    words = set()
    texts = Resource.objects.values_list("title", "search_keywords", "search_text")
    for row in texts.iterator(chunk_size=5000):
        for text in row:
            words.update(word for word in words_of(text) if SHORTEST_KEPT <= len(word) <= LONGEST_KEPT)
    SearchWord.objects.bulk_create(
        [SearchWord(word=word) for word in sorted(words)], batch_size=5000
    )


def index_trigrams(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGRAM_INDEX)


class Migration(migrations.Migration):
    dependencies = [("resources", "0031_admin_indexes")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[("word", models.CharField(max_length=100, primary_key=True, serialize=False))],
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(index_trigrams, migrations.RunPython.noop),
    ]
