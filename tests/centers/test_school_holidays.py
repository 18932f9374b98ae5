"""School holidays from the ministries' iCalendar files (issue 15): multi-day all-day events with
and without DTEND, a DURATION, DATE-TIME values; broken files are refused with a reason; the
management command reads a file or a URL and a second run changes nothing."""

from __future__ import annotations

import http.server
import socketserver
import threading
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from centers import demo_data
from centers.models import SchoolHoliday
from centers.school_holidays import CalendarFileError, Period, days_of, parse_ics

# As the state ministries publish them: CRLF, folded lines, VALUE=DATE, DTEND the day after.
REAL_FORMAT = (
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//Ministerium fuer Schule und Bildung NRW//Ferienordnung//DE\r\n"
    "X-WR-CALNAME:Schulferien NRW\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:herbstferien-2027-nw@schulministerium.nrw\r\n"
    "DTSTAMP:20250301T080000Z\r\n"
    "DTSTART;VALUE=DATE:20271023\r\n"
    "DTEND;VALUE=DATE:20271107\r\n"
    "SUMMARY:Herbstferien NRW 2027\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:weihnachtsferien-2027-nw@schulministerium.nrw\r\n"
    "DTSTAMP:20250301T080000Z\r\n"
    "DTSTART;VALUE=DATE:20271224\r\n"
    "DTEND;VALUE=DATE:20280109\r\n"
    "SUMMARY:Weihnachtsferien NRW 2027/20\r\n"
    " 28\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:pfingsten-2028-nw@schulministerium.nrw\r\n"
    "DTSTAMP:20250301T080000Z\r\n"
    "DTSTART;VALUE=DATE:20280606\r\n"
    "SUMMARY:Pfingstferien NRW 2028\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:ostern-2028-nw@schulministerium.nrw\r\n"
    "DTSTAMP:20250301T080000Z\r\n"
    "DTSTART;VALUE=DATE:20280410\r\n"
    "DURATION:P13D\r\n"
    "SUMMARY:Osterferien NRW 2028\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:beweglich-2028-nw@example.org\r\n"
    "DTSTAMP:20250301T080000Z\r\n"
    "DTSTART:20280228T000000\r\n"
    "DTEND:20280301T000000\r\n"
    "SUMMARY:Beweglicher Ferientag 2028\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def test_a_real_format_file_gives_each_period_its_first_and_last_day():
    parsed = parse_ics(REAL_FORMAT.encode())
    assert not parsed.is_sample
    assert [(p.name, p.first_day, p.last_day) for p in parsed.periods] == [
        ("Herbstferien NRW 2027", date(2027, 10, 23), date(2027, 11, 6)),  # DTEND exclusive
        ("Weihnachtsferien NRW 2027/2028", date(2027, 12, 24), date(2028, 1, 8)),
        ("Beweglicher Ferientag 2028", date(2028, 2, 28), date(2028, 2, 29)),  # DATE-TIME
        ("Osterferien NRW 2028", date(2028, 4, 10), date(2028, 4, 22)),  # DURATION
        ("Pfingstferien NRW 2028", date(2028, 6, 6), date(2028, 6, 6)),  # no DTEND: one day
    ]
    assert parsed.periods[0].uid == "herbstferien-2027-nw@schulministerium.nrw"
    assert parsed.periods[0].days == 15


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"not a calendar at all", "iCalendar"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "no holiday periods"),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270101\r\n"
            b"END:VEVENT\r\nEND:VCALENDAR\r\n",
            "SUMMARY",
        ),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Ferien\r\nDTSTART;VALUE=DATE:20270101\r\n"
            b"DTEND;VALUE=DATE:20280101\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "120",
        ),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Ferien\r\nDTSTART;VALUE=DATE:00010101\r\n"
            b"END:VEVENT\r\nEND:VCALENDAR\r\n",
            "",
        ),
    ],
)
def test_a_file_that_is_not_a_holiday_calendar_is_refused_with_a_reason(content, says):
    with pytest.raises(CalendarFileError) as refused, translation.override("en"):
        parse_ics(content)
    assert says in str(refused.value)


def test_the_demo_sample_file_is_marked_as_sample_and_covers_the_coming_years():
    parsed = parse_ics(demo_data.SCHOOL_HOLIDAYS_FILE.read_bytes())
    assert parsed.is_sample
    names = {p.name for p in parsed.periods}
    assert "Herbstferien NRW 2027" in names
    assert max(p.last_day for p in parsed.periods) >= date(2030, 1, 1)
    # Both forms occur, as in the ministries' files: one-day periods without DTEND.
    text = demo_data.SCHOOL_HOLIDAYS_FILE.read_text()
    assert text.count("BEGIN:VEVENT") > text.count("DTEND")


def test_days_of_lists_every_day_of_the_periods_within_the_window():
    periods = [Period("Herbst", date(2027, 10, 23), date(2027, 10, 25))]
    assert days_of(periods, date(2027, 10, 24), date(2027, 12, 31)) == {
        date(2027, 10, 24): "Herbst",
        date(2027, 10, 25): "Herbst",
    }


def test_the_command_imports_a_file_and_a_second_run_changes_nothing(db, tmp_path: Path):
    source = tmp_path / "ferien-nrw.ics"
    source.write_text(REAL_FORMAT)
    out = StringIO()
    call_command("import_school_holidays", str(source), "--state", "NW", stdout=out)
    assert "5 new" in out.getvalue()
    assert SchoolHoliday.objects.filter(state="NW").count() == 5
    assert not SchoolHoliday.objects.filter(is_sample=True).exists()
    stamps = list(SchoolHoliday.objects.values_list("pk", "imported_at"))

    out = StringIO()
    call_command("import_school_holidays", str(source), "--state", "NW", stdout=out)
    assert "0 new, 0 replaced, 5 unchanged" in out.getvalue()
    assert list(SchoolHoliday.objects.values_list("pk", "imported_at")) == stamps


def test_the_command_refuses_a_broken_file_and_an_unknown_state(db, tmp_path: Path):
    broken = tmp_path / "kaputt.ics"
    broken.write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    with pytest.raises(CommandError, match="no holiday periods"), translation.override("en"):
        call_command("import_school_holidays", str(broken), "--state", "NW")
    with pytest.raises(CommandError):
        call_command("import_school_holidays", str(broken), "--state", "XX")
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_school_holidays", str(tmp_path / "missing.ics"), "--state", "NW")
    assert not SchoolHoliday.objects.exists()


@pytest.fixture
def ics_server(tmp_path: Path):
    """A local web server on a free port serving the real-format file."""
    (tmp_path / "ferien.ics").write_text(REAL_FORMAT)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(tmp_path), **kwargs)

        def log_message(self, *args):
            pass

    server = socketserver.TCPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_command_reads_a_url(db, ics_server):
    out = StringIO()
    call_command("import_school_holidays", f"{ics_server}/ferien.ics", "--state", "NW", stdout=out)
    assert SchoolHoliday.objects.filter(state="NW").count() == 5
    assert SchoolHoliday.objects.first().source.startswith(ics_server)
    with pytest.raises(CommandError, match="Could not fetch"):
        call_command("import_school_holidays", f"{ics_server}/missing.ics", "--state", "NW")
