"""Hypothesis strategies: for each kind of form control, values a person could mean and values
that are wrong for sure (out of range, malformed, not among the choices, too long, NUL bytes).

A control's kind comes from the HTML alone (type, min/max, maxlength, options), so a form added
later gets the same treatment without anyone listing it.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from config.forms import DATE_MAX, DATE_MIN, INT_MAX

from .crawl import Field

TODAY = date.today()

# Integers that overflow 64-bit columns, C longs, floats; the classics of a 500.
HUGE = [
    str(INT_MAX + 1),
    str(2**64),
    str(-(INT_MAX + 2)),
    "9" * 30,
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "1.5",
    "0x10",
    "1_000",
    "1e3",
]
GARBAGE = ["abc", "' OR 1=1 --", "<script>x</script>", "%00", "😀", "１２", " ", "../../etc"]


def _iso(day: date) -> str:
    return day.isoformat()


def _date_bounds(f: Field) -> tuple[date, date]:
    first, last = DATE_MIN, DATE_MAX
    try:
        if f.attrs.get("min"):
            first = max(first, date.fromisoformat(f.attrs["min"]))
        if f.attrs.get("max"):
            last = min(last, date.fromisoformat(f.attrs["max"]))
    except ValueError:
        pass
    return first, last


def is_date(f: Field) -> bool:
    return f.type == "date" or "vDateField" in f.attrs.get("class", "")


def is_time(f: Field) -> bool:
    return f.type == "time" or "vTimeField" in f.attrs.get("class", "")


def good(f: Field) -> st.SearchStrategy:
    """Something a person could enter; may still be refused for reasons of the booking."""
    if is_date(f):
        first, last = _date_bounds(f)
        low, high = max(first, TODAY), min(last, TODAY + timedelta(days=800))
        if low > high:
            low, high = first, last
        return st.dates(low, high).map(_iso)
    if is_time(f):
        return st.times().map(lambda t: t.strftime("%H:%M"))
    if f.type == "number":
        low = int(f.attrs["min"]) if f.attrs.get("min", "").lstrip("-").isdigit() else 0
        high = int(f.attrs["max"]) if f.attrs.get("max", "").isdigit() else low + 100
        return st.integers(low, max(low, min(high, low + 100))).map(str)
    if f.type in ("select", "radio", "submit") and f.options:
        return st.sampled_from(f.options)
    if f.type in ("checkbox", "select-multiple") and f.options:
        return st.lists(st.sampled_from(f.options), unique=True, max_size=len(f.options))
    if f.type == "email":
        return st.sampled_from(["irina@example.org", "nobody@example.org"])
    if f.type == "hidden":
        return st.just(f.value)
    return st.one_of(
        st.just(f.value),
        st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20),
    )


def definitely_bad(f: Field, *, ours: bool = True) -> st.SearchStrategy | None:
    """Values the field must refuse, or None when the HTML does not say what is wrong for it.

    Our own forms keep dates within config.forms' range; Django's (the admin) only refuse
    dates that are not dates at all.
    """
    if "disabled" in f.attrs:
        return None
    if is_date(f):
        malformed = st.sampled_from(
            ["10000-01-01", "2024-02-30", "2024-13-01", "0000-00-00", "31.02.2030", *HUGE]
        )
        if not ours:
            return st.one_of(malformed, st.sampled_from(GARBAGE))
        first, last = _date_bounds(f)
        out_of_range = st.one_of(
            st.dates(date(1, 1, 1), first - timedelta(days=1)),
            st.dates(last + timedelta(days=1), date(9999, 12, 31)),
        )
        return st.one_of(
            out_of_range.map(_iso),
            out_of_range.map(lambda d: d.strftime("%d.%m.%Y") if d.year >= 1000 else _iso(d)),
            malformed,
            st.sampled_from(GARBAGE),
        )
    if is_time(f):
        return st.sampled_from(["24:00", "12:60", "99:99", "-1:00", "25", "1" * 40, *GARBAGE])
    if f.type == "number":
        bad = [*HUGE, *GARBAGE[:3]]
        if f.attrs.get("max", "").isdigit():
            bad.append(str(int(f.attrs["max"]) + 1))
        if f.attrs.get("min", "").lstrip("-").isdigit():
            bad.append(str(int(f.attrs["min"]) - 1))
        return st.sampled_from(bad)
    if f.type in ("select", "radio", "select-multiple") or (
        f.type == "checkbox" and f.options and f.options != ["on"]
    ):
        outside = [v for v in [*HUGE, *GARBAGE, "-1", "0", "999999"] if v not in f.options]
        single = st.sampled_from(outside)
        if f.type in ("checkbox", "select-multiple"):
            return st.lists(single, min_size=1, max_size=2)
        return single
    if f.type in ("text", "search", "email", "textarea", "url", "tel", "password"):
        nul = st.text(max_size=5).map(lambda s: s + "\x00" + s)
        if f.attrs.get("maxlength", "").isdigit():
            too_long = st.integers(1, 50).map(lambda n: "x" * (int(f.attrs["maxlength"]) + n))
            return st.one_of(nul, too_long)
        return nul
    return None


def bad_param_values() -> st.SearchStrategy:
    """For query parameters whose meaning is unknown: every kind of wrong at once."""
    return st.one_of(
        st.sampled_from([*HUGE, *GARBAGE, "0001-01-01", "9999-12-31", "", "-1", "0"]),
        st.dates(date(1, 1, 1), date(9999, 12, 31)).map(_iso),
        st.integers(-(2**70), 2**70).map(str),
        st.text(max_size=30),
    )
