"""A center's terms. A series "for the term" ends on the term's last day (`requests.for_term`);
moving that day moves the end of every series that runs for the term, through `series_end`
(earlier) and `series_update` (later) — no second path for the dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from centers.models import Center, Term
from centers.permissions import can_manage_center
from config.forms import date_in_range, date_range_message

from ..errors import Messages, StaleEdit
from ..locking import in_transaction, lock, rooms_of_series
from ..models import Frequency, Series
from .requests import CLOSED_STATES
from .series import _last_date, series_end, series_update
from .transitions import center_today

NAME_WIDTH = 100  # Term.name


@dataclass
class TermChange:
    term: Term
    ended: list[Series] = field(default_factory=list)  # series that now end earlier
    extended: list[Series] = field(default_factory=list)


def _validate(
    *,
    user: User,
    center: Center,
    name: str,
    first_day: date,
    last_day: date,
    term_id: int | None = None,
) -> str:
    if not can_manage_center(user, center):
        raise PermissionDenied(Messages.NOT_ALLOWED_FOR_GROUP)
    errors: dict[str, str] = {}
    name = " ".join((name or "").split())[:NAME_WIDTH]
    if not name:
        errors["name"] = str(Messages.NAME_REQUIRED)
    for key, value in (("first_day", first_day), ("last_day", last_day)):
        if not date_in_range(value):
            errors[key] = date_range_message()
    if not errors and last_day < first_day:
        errors["last_day"] = str(Messages.ENDS_BEFORE_START)
    if not errors:
        others = Term.objects.filter(center=center).exclude(pk=term_id)
        if others.filter(name=name).exists():
            errors["name"] = str(Messages.TERM_NAME_TAKEN)
        overlap = others.filter(first_day__lte=last_day, last_day__gte=first_day).first()
        if overlap is not None:
            errors["first_day"] = str(Messages.TERM_OVERLAPS) % {"name": overlap.name}
    if errors:
        raise ValidationError(errors)
    return name


def term_create(*, user: User, center: Center, name: str, first_day: date, last_day: date) -> Term:
    """A new term of the center; terms of one center do not overlap."""
    name = _validate(user=user, center=center, name=name, first_day=first_day, last_day=last_day)
    return Term.objects.create(center=center, name=name, first_day=first_day, last_day=last_day)


def _running(term: Term) -> list[int]:
    return list(
        Series.objects.filter(term=term)
        .exclude(status__in=CLOSED_STATES)
        .exclude(frequency=Frequency.ONCE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def term_update(
    *,
    user: User,
    term: Term,
    name: str,
    first_day: date,
    last_day: date,
    expected_version: int | None = None,
) -> TermChange:
    """Rename a term or move its days; the series that run for it end on its new last day."""
    name = _validate(
        user=user,
        center=term.center,
        name=name,
        first_day=first_day,
        last_day=last_day,
        term_id=term.pk,
    )
    today = center_today(term.center)
    if last_day != term.last_day and min(last_day, term.last_day) < today:
        raise ValidationError({"last_day": str(Messages.TERM_OVER)})
    late = [
        s.display_title
        for s in Series.objects.filter(pk__in=_running(term), start_date__gt=last_day)
        .select_related("group")
        .order_by("pk")
    ]
    if late:
        raise ValidationError(
            {
                "last_day": _("These series start after the new last day: %(series)s")
                % {"series": ", ".join(late)}
            }
        )
    return _update(
        user=user,
        term_id=term.pk,
        name=name,
        first_day=first_day,
        last_day=last_day,
        expected_version=expected_version,
    )


@in_transaction
def _update(
    *,
    user: User,
    term_id: int,
    name: str,
    first_day: date,
    last_day: date,
    expected_version: int | None,
) -> TermChange:
    ids = _running(Term(pk=term_id))
    # Everything the series changes will lock, locked first, in the one order.
    locked = lock(rooms=rooms_of_series(ids), series=ids)
    term = Term.objects.select_for_update(of=("self",)).select_related("center").get(pk=term_id)
    if expected_version is not None and term.version != expected_version:
        raise StaleEdit(current=term.version)
    old_last = term.last_day
    term.name, term.first_day, term.last_day = name, first_day, last_day
    term.version += 1
    term.save(update_fields=["name", "first_day", "last_day", "version"])
    change = TermChange(term=term)
    if last_day == old_last:
        return change
    reason = _("the term “%(name)s” now ends on %(date)s") % {
        "name": name,
        "date": date_format(last_day, "SHORT_DATE_FORMAT"),
    }
    for series in locked.series:
        if last_day < old_last:
            if series.until is not None and series.until <= last_day:
                continue  # ended earlier by its group: nothing to cut
            series_end(user=user, series=series, last_date=last_day, reason=reason)
            change.ended.append(series)
        elif series.until == old_last:  # a series its group ended earlier stays ended
            # From the series' last date on, the same rule with the new end: the rows that
            # exist stay as they are, the new dates go through the policy like any request.
            last = _last_date(series) or old_last
            series_update(
                user=user,
                series=series,
                from_date=max(last, center_today(term.center)),
                rule=series.rule.with_changes(until=last_day, count=None),
                reason=reason,
            )
            change.extended.append(series)
    return change


def term_delete(*, user: User, term: Term) -> None:
    """Remove a term no series runs for."""
    if not can_manage_center(user, term.center):
        raise PermissionDenied(Messages.NOT_ALLOWED_FOR_GROUP)
    if Series.objects.filter(term=term).exists():
        raise ValidationError({"term": str(Messages.TERM_IN_USE)})
    term.delete()
