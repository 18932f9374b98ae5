"""The foyer screen, the door signs (page and PDF), check-in at the door, the staff's settings.

Screens are polled: every view first builds the ETag from two small reads (display.stamps)
and answers 304 before anything is rendered when the screen would show the same.
"""

from __future__ import annotations

from django.conf import settings as conf
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bookings.models import Occurrence
from centers.models import Center, Room
from centers.permissions import access_center

from . import labels, pdf, qr, selectors, services, stamps
from .forms import CheckInForm, DisplaySettingsForm, WeekForm


def _not_modified(request: HttpRequest, etag: str) -> HttpResponse | None:
    sent = parse_etags(request.headers.get("If-None-Match", ""))
    if etag in sent or "*" in sent:
        response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Cache-Control"] = "no-cache"
        return response
    return None


def _screen_response(
    request: HttpRequest, stamp: stamps.Stamp, *, template: str, room: bool
) -> HttpResponse:
    language = labels.resolve(request.GET.get("lang"), stamp.language)
    now = timezone.now()
    part = "poll" if request.htmx else "page"
    etag = stamps.etag(stamp, now=now, language=language, part=part)
    unchanged = _not_modified(request, etag)
    if unchanged is not None:
        return unchanged
    center = Center.objects.get(pk=stamp.center_id)
    the_room = (
        get_object_or_404(Room.objects.select_related("center"), pk=stamp.room_id) if room else None
    )
    screen_settings = selectors.screen_settings(center)
    with translation.override(labels.first(language)):
        screen = selectors.screen(
            center=center, settings=screen_settings, now=now, language=language, room=the_room
        )
        context = {
            "screen": screen,
            "labels": labels.labels(language),
            "poll_seconds": conf.DISPLAY_POLL_SECONDS,
            "page_seconds": conf.DISPLAY_PAGE_SECONDS,
            "poll_etag": stamps.etag(stamp, now=now, language=language, part="poll"),
            "lang_query": f"?lang={request.GET['lang']}" if "lang" in request.GET else "",
            "html_lang": labels.first(language),
        }
        if the_room is not None:
            url = qr.room_url(center.slug, the_room.pk)
            context["qr_url"] = url
            context["qr_svg"] = qr.svg(url, label=_("QR code: %(url)s") % {"url": url})
        name = f"display/_{template}.html" if request.htmx else f"display/{template}.html"
        response = render(request, name, context)
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    response["Vary"] = "HX-Request"
    return response


@require_safe
def foyer(request: HttpRequest, slug: str) -> HttpResponse:
    stamp = stamps.for_center(slug)
    if stamp is None:
        raise Http404
    return _screen_response(request, stamp, template="foyer", room=False)


@require_safe
def door(request: HttpRequest, slug: str, room_id: int) -> HttpResponse:
    stamp = stamps.for_room(slug, room_id)
    if stamp is None:
        raise Http404
    return _screen_response(request, stamp, template="door", room=True)


@require_safe
def door_pdf(request: HttpRequest, slug: str, room_id: int) -> HttpResponse:
    room = get_object_or_404(Room.objects.select_related("center"), pk=room_id, center__slug=slug)
    form = WeekForm(request.GET or None)
    monday = form.monday(timezone.now().astimezone(room.center.tz).date())
    stored = selectors.screen_settings(room.center).language
    language = labels.first(labels.resolve(request.GET.get("lang"), stored))
    with translation.override(language):
        days = selectors.room_week(room=room, monday=monday, language=language)
        body = pdf.render(room=room, monday=monday, days=days)
    response = HttpResponse(body, content_type="application/pdf")
    week = monday.isocalendar()
    filename = f"{room.center.slug}-room-{room.pk}-{week.year}-W{week.week:02d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@require_POST
def check_in(request: HttpRequest, slug: str, room_id: int, pk: int) -> HttpResponse:
    """ "We are here" from the room page: a leader of the booked group, around its time."""
    try:
        occurrence = Occurrence.objects.select_related("series__group", "room").get(
            pk=pk, room__center__slug=slug, room_id__in=_room_ids(slug, room_id)
        )
    except Occurrence.DoesNotExist as missing:
        raise Http404 from missing
    back = reverse("centers:room", kwargs={"slug": slug, "room_id": room_id})
    form = CheckInForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        attendance = services.occurrence_check_in(
            user=request.user,
            occurrence=occurrence,
            participants=form.cleaned_data["participants"],
        )
    except PermissionDenied as refused:
        raise Http404 from refused  # not their group: the date does not exist for them
    except ValidationError as refused:
        for text in refused.messages:
            messages.error(request, text)
        return redirect(back)
    local = attendance.checked_in_at.astimezone(occurrence.room.center.tz)
    messages.success(
        request,
        _("Checked in for “%(title)s” at %(time)s. Have a good time!")
        % {"title": occurrence.series.display_title, "time": f"{local:%H:%M}"},
    )
    return redirect(back)


def _room_ids(slug: str, room_id: int) -> list[int]:
    room = get_object_or_404(Room, pk=room_id, center__slug=slug)
    return selectors.related_rooms(room)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff: the notice, the language and the check-in rules of their center's screens."""
    center = access_center(request.user, slug)
    current = selectors.screen_settings(center)
    initial = {
        "notice": current.notice,
        "language": current.language,
        "check_in": current.check_in,
        "release_no_shows": current.release_no_shows,
    }
    form = DisplaySettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.display_settings_update(user=request.user, center=center, **form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("Saved. The screens show it within a minute."))
            return redirect("display_staff:settings", slug=center.slug)
    rooms = list(Room.objects.filter(center=center).order_by("floor", "name"))
    return render(
        request,
        "display/staff_settings.html",
        {"center": center, "form": form, "rooms": rooms, "section": "display"},
        status=400 if request.method == "POST" else 200,
    )
