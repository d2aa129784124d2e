"""The text index of offers (search.py): FTS5 trigram table and triggers on SQLite, pg_trgm GIN
indexes on PostgreSQL."""

from django.db import migrations


def create(apps, schema_editor):
    from teilhabe.offers import search

    search.ensure_index(schema_editor.connection)


def drop(apps, schema_editor):
    from teilhabe.offers import search

    search.drop_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("offers", "0002_list_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
