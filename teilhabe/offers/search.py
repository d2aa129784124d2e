"""The text index of offers: substring search in titles and descriptions (German and every
translation) and organisation names, case-insensitive, without reading every row.

- SQLite: an FTS5 table with the trigram tokenizer (SQLite ≥ 3.34), one row per offer and per
  translation (rowids: see _OFFER_ROWID). Triggers on the two tables keep it current for
  every write path (ORM, bulk_create, admin, raw SQL). A trigger may name only its own table
  and the index: SQLite drops a table's triggers when Django rebuilds the table in a
  migration, and refuses to rename a table while a trigger names a missing one. So
  `ensure_index` (run after every `migrate`) puts back what a rebuild removed.
- PostgreSQL: GIN trigram indexes (pg_trgm) on upper(title ‖ description) of both tables, which
  PostgreSQL keeps current itself. The condition is written so that the planner can combine
  the text index with the others in one bitmap (category AND (text OR translation OR
  organisation)): the translations' and organisations' matches come as arrays (= ANY), which
  an index can use inside an OR, where IN (subquery) could not.

Organisation names are few: they are searched directly, without an index.
Title and description are joined by a unit separator (U+001F) that a search text cannot
contain, so a match never runs from the end of one field into the next.
"""

# Every name put into SQL here is a constant of this module; search text only ever travels as a
# query parameter (hence the noqa: S608 marks).
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Func, Lookup, Q, Subquery, TextField
from django.db.models.expressions import RawSQL

SEPARATOR = "\x1f"
FTS_TABLE = "offers_offer_text"
# Shorter texts have no trigram: SQLite then reads the index's text with LIKE (a scan).
TRIGRAM = 3

_OFFER = "offers_offer"
_TRANSLATION = "offers_offertranslation"
_ORGANISATION = "core_organisation"
_CATEGORY = "offers_category"
# The indexed expression; queries must spell it the same way for PostgreSQL to use the index.
_PG_DOCUMENT = "upper(title::text || chr(31) || description::text)"


def normalized(text: str) -> str:
    """The search text without the separator and without spaces at either end."""
    return text.replace(SEPARATOR, " ").strip()


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def text_condition(text: str, categories: tuple[str, ...] = ()) -> Q:
    """The condition on offers (any status) whose texts contain `text` (already normalized).

    `categories` (slugs) may narrow the search inside the index to those categories; the
    caller filters by them anyway, so the condition alone need not.
    """
    if connection.vendor == "postgresql":
        return _pg_condition(text)
    return Q(pk__in=_sqlite_ids(text, categories))


# SQLite rowids of the index: an offer's row is category << 40 | id << 1, so one category's
# offers are one range of rowids, which the index can search alone; a translation's row is
# id << 1 | 1, below 1 << 40 (category ids start at 1).
_CATEGORY_SHIFT = 40
_ID_MASK = (1 << 39) - 1
_OFFER_ROWID = "({0}.category_id << 40) | ({0}.id << 1)"
_TRANSLATION_ROWID = "({0}.id << 1) | 1"
_OFFER_TEXT = "{0}.title || char(31) || {0}.description"


def _sqlite_ids(text: str, categories: tuple[str, ...]) -> RawSQL:
    row = f"{FTS_TABLE}.rowid"
    like = _like(text)
    if len(text) >= TRIGRAM:
        match = f"{FTS_TABLE} MATCH %s"
        pattern = '"' + text.replace('"', '""') + '"'  # one phrase: the text as a substring
    else:
        match = "document LIKE %s ESCAPE '\\'"
        pattern = like
    offer_id = f"({row} >> 1) & {_ID_MASK}"
    if categories:
        slugs = ", ".join(["%s"] * len(categories))
        offers = (
            f"SELECT {offer_id} FROM {_CATEGORY} JOIN {FTS_TABLE} "  # noqa: S608
            f"ON {row} >= ({_CATEGORY}.id << {_CATEGORY_SHIFT}) "
            f"AND {row} < (({_CATEGORY}.id + 1) << {_CATEGORY_SHIFT}) "
            f"WHERE {_CATEGORY}.slug IN ({slugs}) AND {match}"
        )
        offer_params = [*categories, pattern]
    else:
        offers = (
            f"SELECT {offer_id} FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {row} >= (1 << {_CATEGORY_SHIFT}) AND {match}"
        )
        offer_params = [pattern]
    translations = (
        f"SELECT (SELECT offer_id FROM {_TRANSLATION} WHERE id = {row} >> 1) "  # noqa: S608
        f"FROM {FTS_TABLE} WHERE {row} < (1 << {_CATEGORY_SHIFT}) AND {match}"
    )
    # SQLite's LIKE ignores the case of ASCII letters only, as before for organisation names.
    organisations = (
        f"SELECT id FROM {_OFFER} WHERE organisation_id IN "  # noqa: S608
        f"(SELECT id FROM {_ORGANISATION} WHERE name LIKE %s ESCAPE '\\')"
    )
    return RawSQL(  # noqa: S611
        f"{offers} UNION ALL {translations} UNION ALL {organisations}",
        (*offer_params, pattern, like),
    )


class _Document(Func):
    """upper(title ‖ U+001F ‖ description), as the PostgreSQL indexes have it."""

    template = "upper(%(expressions)s::text)"
    arg_joiner = "::text || chr(31) || "
    output_field = TextField()


class _UpperLike(Lookup):
    """lhs LIKE upper(pattern): upper() on the database side, so both sides fold case alike."""

    lookup_name = "upper_like"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE upper({rhs})", (*lhs_params, *rhs_params)


class _AnyOf(Lookup):
    """lhs = ANY(ARRAY(subquery)): usable by an index inside an OR."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)

    def get_prep_lookup(self):
        return self.rhs


def _pg_condition(text: str) -> Q:
    from teilhabe.core.models import Organisation
    from teilhabe.offers.models import OfferTranslation

    like = _like(text)
    translated = (
        OfferTranslation.objects.filter(_UpperLike(_Document(F("title"), F("description")), like))
        .order_by()
        .values("offer_id")
    )
    organisations = (
        Organisation.objects.filter(
            _UpperLike(Func(F("name"), template="upper(%(expressions)s::text)"), like)
        )
        .order_by()
        .values("id")
    )
    return (
        Q(_UpperLike(_Document(F("title"), F("description")), like))
        | Q(_AnyOf(F("pk"), Subquery(translated)))
        | Q(_AnyOf(F("organisation_id"), Subquery(organisations)))
    )


# --- keeping the index ----------------------------------------------------------------------

_SQLITE_TRIGGERS = {
    "offers_text_offer_insert": f"""
        AFTER INSERT ON {_OFFER} BEGIN
          INSERT INTO {FTS_TABLE}(rowid, document)
          VALUES ({_OFFER_ROWID.format("NEW")}, {_OFFER_TEXT.format("NEW")});
        END""",  # noqa: S608
    "offers_text_offer_update": f"""
        AFTER UPDATE OF title, description, category_id ON {_OFFER} BEGIN
          DELETE FROM {FTS_TABLE} WHERE rowid = {_OFFER_ROWID.format("OLD")};
          INSERT INTO {FTS_TABLE}(rowid, document)
          VALUES ({_OFFER_ROWID.format("NEW")}, {_OFFER_TEXT.format("NEW")});
        END""",  # noqa: S608
    "offers_text_offer_delete": f"""
        AFTER DELETE ON {_OFFER} BEGIN
          DELETE FROM {FTS_TABLE} WHERE rowid = {_OFFER_ROWID.format("OLD")};
        END""",  # noqa: S608
    "offers_text_translation_insert": f"""
        AFTER INSERT ON {_TRANSLATION} BEGIN
          INSERT INTO {FTS_TABLE}(rowid, document)
          VALUES ({_TRANSLATION_ROWID.format("NEW")}, {_OFFER_TEXT.format("NEW")});
        END""",  # noqa: S608
    "offers_text_translation_update": f"""
        AFTER UPDATE OF title, description ON {_TRANSLATION} BEGIN
          DELETE FROM {FTS_TABLE} WHERE rowid = {_TRANSLATION_ROWID.format("OLD")};
          INSERT INTO {FTS_TABLE}(rowid, document)
          VALUES ({_TRANSLATION_ROWID.format("NEW")}, {_OFFER_TEXT.format("NEW")});
        END""",  # noqa: S608
    "offers_text_translation_delete": f"""
        AFTER DELETE ON {_TRANSLATION} BEGIN
          DELETE FROM {FTS_TABLE} WHERE rowid = {_TRANSLATION_ROWID.format("OLD")};
        END""",  # noqa: S608
}

_PG_INDEXES = {
    "offers_offer_text_trgm": _OFFER,
    "offers_translation_text_trgm": _TRANSLATION,
}


def ensure_index(using: BaseDatabaseWrapper | None = None) -> bool:
    """Create what the text index needs where it is missing; fill it if it was incomplete.
    Safe to run any time (after every migrate). Returns whether anything was created."""
    conn = using or connection
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            return _ensure_sqlite(cursor)
        if conn.vendor == "postgresql":
            return _ensure_postgresql(cursor)
    return False


def _ensure_sqlite(cursor) -> bool:
    cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
    present = {row[0] for row in cursor.fetchall()}
    if _OFFER not in present:  # before the offers tables exist (an early migration)
        return False
    missing = [name for name in (FTS_TABLE, *_SQLITE_TRIGGERS) if name not in present]
    if not missing:
        return False
    cursor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(document, tokenize = 'trigram')"
    )
    for name, body in _SQLITE_TRIGGERS.items():
        cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
    # A trigger was missing, so writes may have passed unseen: fill the index afresh.
    cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
    for table, rowid in ((_OFFER, _OFFER_ROWID), (_TRANSLATION, _TRANSLATION_ROWID)):
        cursor.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, document) "  # noqa: S608
            f"SELECT {rowid.format(table)}, {_OFFER_TEXT.format(table)} FROM {table}"
        )
    return True


def _ensure_postgresql(cursor) -> bool:
    cursor.execute(
        "SELECT to_regclass(%s) IS NOT NULL, to_regclass(%s) IS NOT NULL, "
        "to_regclass(%s) IS NOT NULL",
        [_OFFER, *_PG_INDEXES],
    )
    has_table, *has_indexes = cursor.fetchone()
    if not has_table or all(has_indexes):
        return False
    # A trusted extension: the database's owner may create it (no superuser needed).
    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in _PG_INDEXES.items():
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (({_PG_DOCUMENT}) gin_trgm_ops)"
        )
    return True


def drop_index(using: BaseDatabaseWrapper | None = None) -> None:
    """Remove the text index (the migration's way back)."""
    conn = using or connection
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            for name in _SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif conn.vendor == "postgresql":
            for name in _PG_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
