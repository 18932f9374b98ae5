"""Reads of the planning pages: a round with its reports, the sitting, terms and holidays."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from bookings.conflicts import ConflictReport, DateReport, IssueKind
from centers.models import Center, SchoolHoliday, Term

from ..models import Round, Wish
from .reports import WishReport, ordered, round_wishes, wish_reports

# --- pages -----------------------------------------------------------------------------------


@dataclass
class RoundPage:
    round: Round
    wishes: list[Wish]
    reports: dict[int, WishReport]
    ordered: list[Wish]

    @property
    def continuations(self) -> list[Wish]:
        return [w for w in self.wishes if w.kind == Wish.Kind.CONTINUATION]

    @property
    def new_wishes(self) -> list[Wish]:
        return [w for w in self.wishes if w.kind == Wish.Kind.NEW]

    @property
    def answers(self) -> Counter:
        return Counter(w.answer for w in self.continuations)

    @property
    def groups(self) -> int:
        return len({w.group_id for w in self.wishes})

    @property
    def open(self) -> list[Wish]:
        return [w for w in self.ordered if w.outcome == Wish.Outcome.OPEN and w.is_active]

    @property
    def fitting(self) -> list[Wish]:
        return [w for w in self.open if w.pk in self.reports and self.reports[w.pk].fits]

    @property
    def to_book(self) -> list[Wish]:
        """What one click on "confirm all that fit" books: in the allocation order, each open
        wish with no clash whose rivals were not booked before it (what `round_allocate` does)."""
        booked: set[int] = set()
        found: list[Wish] = []
        for wish in self.open:
            report = self.reports.get(wish.pk)
            if report is None or report.clashing or not report.takes_place:
                continue
            if booked & set(report.competitors):
                continue
            booked.add(wish.pk)
            found.append(wish)
        return found

    @property
    def to_decide(self) -> list[Wish]:
        chosen = {w.pk for w in self.to_book}
        return [w for w in self.open if w.pk not in chosen]

    @property
    def decided(self) -> list[Wish]:
        return [w for w in self.ordered if w not in self.open]

    def report(self, wish: Wish) -> WishReport | None:
        return self.reports.get(wish.pk)

    @property
    def rows(self) -> list[tuple[Wish, WishReport | None]]:
        """Every wish in the allocation order, with its report (None once decided)."""
        return [(w, self.reports.get(w.pk)) for w in self.ordered]


def round_page(round: Round) -> RoundPage:
    wishes = round_wishes(round)
    reports = wish_reports(round, wishes)
    return RoundPage(round=round, wishes=wishes, reports=reports, ordered=ordered(round, wishes))


def rounds_of(center: Center) -> list[Round]:
    return list(
        Round.objects.filter(center=center)
        .select_related("term", "previous_term")
        .order_by("-term__first_day")
    )


def terms_of(center: Center) -> list[Term]:
    return list(Term.objects.filter(center=center).order_by("first_day"))


def school_holidays_of(state: str, *, since: date | None = None) -> list[SchoolHoliday]:
    """The state's school holiday periods from `since` on (all when None), by first day."""
    periods = SchoolHoliday.objects.filter(state=state)
    if since is not None:
        periods = periods.filter(last_day__gte=since)
    return list(periods.order_by("first_day", "name"))


def leader_rounds(groups: QuerySet) -> list[Round]:
    """Rounds still collecting in which one of these groups has a wish (or could add one)."""
    return list(
        Round.objects.filter(
            status=Round.Status.COLLECTING,
            deadline__gt=timezone.now(),
            center__in=groups.values("center"),
        )
        .select_related("center", "term")
        .order_by("deadline")
    )


def group_wishes(round: Round, groups: QuerySet) -> list[Wish]:
    mine = set(groups.values_list("pk", flat=True))
    return [w for w in round_wishes(round) if w.group_id in mine]


def pending_answers(groups: QuerySet) -> int:
    """How many proposals of these groups wait for an answer in a round still collecting."""
    return Wish.objects.filter(
        Q(group__in=groups),
        kind=Wish.Kind.CONTINUATION,
        answer=Wish.Answer.PENDING,
        round__status=Round.Status.COLLECTING,
        round__deadline__gt=timezone.now(),
    ).count()


# --- the sitting -----------------------------------------------------------------------------


@dataclass
class Clash:
    """A wish the allocation could not book as it is, beside what stands in its way and the
    engine's alternatives for its clashing dates."""

    report: WishReport
    rivals: list[Wish]  # wishes of the round it competes with, or that got its slot
    others: list[str]  # other bookings in its way, by group name
    alternatives: dict[datetime, list]  # original start -> the engine's alternatives

    @property
    def wish(self) -> Wish:
        return self.report.wish

    @property
    def rows(self) -> list[tuple[DateReport, list]]:
        """Each clashing date with the engine's alternatives for it."""
        return [(d, self.alternatives.get(d.slot.original_start, [])) for d in self.report.clashing]

    @property
    def without_alternative(self) -> list[DateReport]:
        return [d for d in self.report.clashing if not self.alternatives.get(d.slot.original_start)]


def clashes(round: Round, page: RoundPage) -> list[Clash]:
    """The open wishes that do not fit, in the allocation order, with their rivals and the
    engine's alternatives (what `wish_resolve` would take)."""
    from ..services import engine_alternatives

    by_result = {w.result_id: w for w in page.wishes if w.result_id}
    by_pk = {w.pk: w for w in page.wishes}
    found: list[Clash] = []
    for wish in page.open:
        report = page.reports.get(wish.pk)
        if report is None or report.fits:
            continue
        rivals: dict[int, Wish] = {pk: by_pk[pk] for pk in report.competitors if pk in by_pk}
        others: set[str] = set()
        for d in report.takes_place:
            for issue in d.issues:
                if issue.kind not in (IssueKind.BOOKED, IssueKind.PENDING):
                    continue
                rival = by_result.get(issue.series_id)
                if rival is not None:
                    rivals[rival.pk] = rival
                elif (issue.series_id or 0) > 0:
                    others.add(issue.group_name)
        offered = {}
        if report.clashing and round.can_allocate:
            offered = engine_alternatives(wish, ConflictReport(dates=report.clashing))
        found.append(
            Clash(
                report=report,
                rivals=sorted(rivals.values(), key=lambda w: w.group.name),
                others=sorted(others),
                alternatives=offered,
            )
        )
    return found
