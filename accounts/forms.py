"""Forms of the profile page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class ProfileForm(forms.ModelForm):
    """Language and e-mail settings; the language is shown in its own name (Deutsch, English)."""

    preferred_language = forms.ChoiceField(
        label=_("Language"),
        choices=[("de", "Deutsch"), ("en", "English")],
        widget=forms.RadioSelect,
        help_text=_("Pages and e-mails are shown in this language."),
    )

    class Meta:
        model = User
        fields = ["preferred_language", "email_notifications", "calendar_invitations"]
        labels = {
            "email_notifications": _("Send me e-mails"),
            "calendar_invitations": _("Calendar invitations"),
        }
        help_texts = {
            "email_notifications": _(
                "When staff decide on my requests, or one of my dates changes."
            ),
            "calendar_invitations": _(
                "Confirmations carry the series as an invitation for Outlook, Google or Apple "
                "calendars, and later changes update it there."
            ),
        }

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        if commit:
            user.save(update_fields=list(self.Meta.fields))
        return user
