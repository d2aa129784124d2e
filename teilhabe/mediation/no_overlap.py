"""The database guard against double booking, one per engine (used by migration 0001).

A mediator may never hold two confirmed/done assignments whose blocked intervals overlap. The
service checks this under a row lock, but a form or service is not enough: the database refuses
it too, whatever the timing of clicks.

- PostgreSQL: an exclusion constraint (btree_gist) over (mediator =, tstzrange(start, end) &&).
- SQLite: triggers that RAISE on an overlapping booked row (SQLite has no exclusion constraints).
  Both datetimes are stored as UTC text ("YYYY-MM-DD HH:MM:SS[.ffffff]"), which compares in time
  order as text.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db.models import F, Func, Q

CONSTRAINT_NAME = "assignment_no_double_booking"
BOOKED = ("confirmed", "done")


class TsTzRange(Func):
    function = "TSTZRANGE"


def exclusion_constraint() -> ExclusionConstraint:
    # Half-open "[)" ranges, the same as matching.blocked_interval: back-to-back is allowed.
    return ExclusionConstraint(
        name=CONSTRAINT_NAME,
        expressions=[
            (F("mediator"), RangeOperators.EQUAL),
            (TsTzRange(F("blocked_start"), F("blocked_end")), RangeOperators.OVERLAPS),
        ],
        condition=Q(status__in=BOOKED),
        violation_error_message="This mediator already has an appointment at that time.",
    )


def _sqlite_trigger(event: str) -> str:
    booked = ", ".join(f"'{status}'" for status in BOOKED)
    # Built only from this module's constants, never from input.
    return f"""
CREATE TRIGGER {CONSTRAINT_NAME}_{event.lower()}
BEFORE {event} ON mediation_assignment
FOR EACH ROW WHEN NEW.status IN ({booked})
BEGIN
    SELECT RAISE(ABORT, '{CONSTRAINT_NAME}')
    WHERE EXISTS (
        SELECT 1 FROM mediation_assignment AS other
        WHERE other.mediator_id = NEW.mediator_id
          AND other.id IS NOT NEW.id
          AND other.status IN ({booked})
          AND other.blocked_start < NEW.blocked_end
          AND NEW.blocked_start < other.blocked_end
    );
END;
"""  # noqa: S608


SQLITE_EVENTS = ("INSERT", "UPDATE")


def install(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        model = apps.get_model("mediation", "Assignment")
        schema_editor.add_constraint(model, exclusion_constraint())
    elif vendor == "sqlite":
        for event in SQLITE_EVENTS:
            schema_editor.execute(_sqlite_trigger(event))
    else:  # pragma: no cover - only the two supported engines
        raise RuntimeError(f"No double-booking guard for the {vendor} database engine.")


def uninstall(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        model = apps.get_model("mediation", "Assignment")
        schema_editor.remove_constraint(model, exclusion_constraint())
    elif vendor == "sqlite":
        for event in SQLITE_EVENTS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {CONSTRAINT_NAME}_{event.lower()}")
