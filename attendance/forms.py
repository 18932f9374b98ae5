"""The attendance form: how many came, optionally split by the center's categories, and the
volunteer hours. It parses input only; `attendance.services` validates against the date."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import StrictIntegerField

from .models import Attendance
from .selectors import Dimension


class AttendanceForm(forms.Form):
    participants = StrictIntegerField(
        label=_("How many came?"),
        min_value=0,
        max_value=10_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Enter how many people came (0 if nobody came).")},
    )
    volunteer_hours = forms.DecimalField(
        label=_("Volunteer hours"),
        help_text=_("Hours given by volunteers for this date, all together, e.g. 2.5."),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(1000),
        max_digits=6,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.25"}),
    )

    def __init__(
        self,
        *args: Any,
        dimensions: list[Dimension] = (),
        attendance: Attendance | None = None,
        **kwargs: Any,
    ) -> None:
        if attendance is not None and not kwargs.get("data") and not args:
            kwargs.setdefault("initial", {})
            kwargs["initial"].update(
                {
                    "participants": attendance.participants,
                    "volunteer_hours": attendance.volunteer_hours,
                    **{f"breakdown_{k}": v for k, v in (attendance.breakdown or {}).items()},
                }
            )
        super().__init__(*args, **kwargs)
        self.dimensions = dimensions
        for dimension in dimensions:
            for category in dimension.categories:
                self.fields[f"breakdown_{category.key}"] = StrictIntegerField(
                    label=category.label,
                    required=False,
                    min_value=0,
                    max_value=10_000,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )

    def grouped(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The breakdown fields by dimension, for fieldsets in the template."""
        return [
            (d.name, [self[f"breakdown_{c.key}"] for c in d.categories]) for d in self.dimensions
        ]

    def breakdown(self) -> dict[str, int]:
        return {
            name.removeprefix("breakdown_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("breakdown_") and value is not None
        }


class QuickCountForm(forms.Form):
    """The count alone, from the dashboard: a recorded breakdown and hours stay as they are."""

    participants = AttendanceForm.base_fields["participants"]
