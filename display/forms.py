"""Forms of the screens app: check-in at the door, screen settings, the door sign's week."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from config.forms import BoundedDateField, BoundedIntegerField

from .errors import Messages
from .models import DisplaySettings, ScreenLanguage
from .services import MAX_PARTICIPANTS


def _participants_message() -> str:
    return str(Messages.PARTICIPANTS) % {"max": MAX_PARTICIPANTS}


PARTICIPANTS_MESSAGE = lazy(_participants_message, str)()


class CheckInForm(forms.Form):
    participants = BoundedIntegerField(
        label=_("How many are you?"),
        required=False,
        min_value=0,
        max_value=MAX_PARTICIPANTS,
        error_messages={
            "min_value": PARTICIPANTS_MESSAGE,
            "max_value": PARTICIPANTS_MESSAGE,
            "invalid": PARTICIPANTS_MESSAGE,
        },
    )


class DisplaySettingsForm(forms.Form):
    notice = forms.CharField(
        label=_("Notice on the screens"),
        required=False,
        max_length=DisplaySettings._meta.get_field("notice").max_length,
        help_text=_("A short line for the foyer screen and the door signs; empty for none."),
    )
    language = forms.ChoiceField(label=_("Language of the screens"), choices=ScreenLanguage.choices)
    check_in = forms.BooleanField(
        label=_("Groups check in at the door"),
        required=False,
        help_text=DisplaySettings._meta.get_field("check_in").help_text,
    )
    release_no_shows = forms.BooleanField(
        label=_("Release rooms of no-shows for walk-in use"),
        required=False,
        help_text=DisplaySettings._meta.get_field("release_no_shows").help_text,
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("release_no_shows") and not data.get("check_in"):
            self.add_error("release_no_shows", Messages.RELEASE_NEEDS_CHECK_IN)
        return data


class WeekForm(forms.Form):
    date = BoundedDateField(required=False)

    def monday(self, today: date) -> date:
        day = self.cleaned_data.get("date") if self.is_valid() else None
        day = day or today
        return day - timedelta(days=day.weekday())
