"""Database lookups that Django leaves unguarded.

Django 5.2 turns `id = <beyond 64 bits>` into "no match" (IntegerFieldExact), but passes the
values of `id IN (…)` to the database as they are: SQLite raises OverflowError, a 500 for any
form with a multiple choice of objects (Django's ModelMultipleChoiceField looks the submitted
ids up with `pk__in`, the admin's actions too). Here `in` drops values outside the column's
range, as exact does: they cannot match anything.
"""

from __future__ import annotations

from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
