"""Forms of the report pages: the period and filters (GET), and the breakdown categories a
center counts by (staff). They parse input; the figures come from `figures` and `tables`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance.models import BreakdownCategory
from centers.models import Room
from config.forms import BoundedDateField, BoundedIntegerField
from groups.models import Group, Language, Organisation

from . import html
from . import period as periods
from .scope import Filters, Scope

PERIOD_CHOICES = [
    (periods.MONTH, _("Month")),
    (periods.QUARTER, _("Quarter")),
    (periods.YEAR, _("Year")),
    (periods.CUSTOM, _("From … to …")),
]
MONTH_CHOICES = [
    (n, label)
    for n, label in enumerate(
        [
            _("January"),
            _("February"),
            _("March"),
            _("April"),
            _("May"),
            _("June"),
            _("July"),
            _("August"),
            _("September"),
            _("October"),
            _("November"),
            _("December"),
        ],
        start=1,
    )
]
QUARTER_CHOICES = [(n, _("Q%(n)s") % {"n": n}) for n in range(1, 5)]


class ReportForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"), choices=PERIOD_CHOICES, required=False, widget=forms.RadioSelect
    )
    year = BoundedIntegerField(label=_("Year"), min_value=2000, max_value=2199, required=False)
    month = forms.TypedChoiceField(
        label=_("Month"), choices=MONTH_CHOICES, coerce=int, required=False
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=QUARTER_CHOICES, coerce=int, required=False
    )
    first = BoundedDateField(label=_("From"), required=False)
    last = BoundedDateField(label=_("To"), required=False)
    room = forms.ModelChoiceField(
        label=_("Room"), queryset=Room.objects.none(), required=False, empty_label=_("All rooms")
    )
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=Group.objects.none(), required=False, empty_label=_("All groups")
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All organisations"),
    )
    kind = forms.ChoiceField(label=_("Kind of offer"), required=False)
    audience = forms.ChoiceField(label=_("Audience"), required=False)
    language = forms.ModelChoiceField(
        label=_("Language"),
        queryset=Language.objects.none(),
        required=False,
        empty_label=_("All languages"),
    )

    def __init__(self, *args: Any, scope: Scope, today: date | None = None, **kwargs: Any):
        self.today = today or timezone.localdate()
        kwargs.setdefault(
            "initial",
            {
                "period": periods.YEAR,
                "year": self.today.year,
                "month": self.today.month,
                "quarter": (self.today.month - 1) // 3 + 1,
            },
        )
        super().__init__(*args, **kwargs)
        self.scope = scope
        groups = scope.groups()
        self.fields["group"].queryset = groups.order_by("name")
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=groups.values("organisation")
        ).order_by("name")
        self.fields["language"].queryset = Language.objects.filter(
            pk__in=Group.languages.through.objects.filter(group__in=groups).values("language")
        )
        if scope.center is not None:
            rooms: QuerySet[Room] = Room.objects.filter(center=scope.center)
        else:
            rooms = Room.objects.filter(pk__in=scope.dates().values("room"))
        self.fields["room"].queryset = rooms.select_related("center").order_by("name")
        if scope.center is None:
            # Across centers a room name alone is ambiguous.
            self.fields["room"].label_from_instance = lambda r: f"{r.name} ({r.center.name})"
            del self.fields["organisation"]
        self.fields["kind"].choices = [("", _("All kinds")), *Group.Kind.choices]
        self.fields["audience"].choices = [("", _("All audiences")), *Group.Audience.choices]

    def controls(self) -> list[dict[str, Any]]:
        """The fields (but the period) as plain values for the template. Django's widgets render
        each <option> through a template: for a center with 400 groups that alone took longer
        than the whole report, so the report page renders its selects from these."""
        controls = []
        for name, field in self.fields.items():
            if name == "period":
                continue
            bound = self[name]
            value = bound.value()
            control: dict[str, Any] = {
                "name": name,
                "id": bound.id_for_label,
                "label": field.label,
                "errors": bound.errors,
            }
            if isinstance(field, forms.ChoiceField):  # also ModelChoiceField
                selected = "" if value is None else str(value)
                control["options"] = True
                control["options_html"] = html.options(
                    (str(key), str(label), str(key) == selected)
                    for key, label in ((getattr(k, "value", k), v) for k, v in field.choices)
                )
            else:
                control["type"] = "date" if isinstance(field, forms.DateField) else "number"
                control["value"] = "" if value is None else str(value)
                if isinstance(field, forms.DateField) and hasattr(value, "isoformat"):
                    control["value"] = value.isoformat()
            controls.append(control)
        return controls

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("period") == periods.CUSTOM:
            first, last = data.get("first"), data.get("last")
            if first is None:
                self.add_error("first", _("Enter the first day of the period."))
            if last is None:
                self.add_error("last", _("Enter the last day of the period."))
            if first and last:
                if last < first:
                    self.add_error("last", _("The last day must not be before the first."))
                elif (last - first).days >= periods.MAX_DAYS:
                    self.add_error("last", _("A report covers three years at most."))
        return data

    def selected_period(self) -> periods.Period:
        """The period asked for; the current year when nothing (valid) was asked."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        kind = data.get("period") or periods.YEAR
        year = data.get("year") or self.today.year
        if kind == periods.MONTH:
            return periods.month(year, data.get("month") or self.today.month)
        if kind == periods.QUARTER:
            return periods.quarter(year, data.get("quarter") or (self.today.month - 1) // 3 + 1)
        if kind == periods.CUSTOM:
            return periods.custom(data["first"], data["last"])
        return periods.year(year)

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return Filters(
            room=data.get("room"),
            group=data.get("group"),
            organisation=data.get("organisation"),
            kind=data.get("kind") or "",
            audience=data.get("audience") or "",
            language=data.get("language"),
        )


class CategoryForm(forms.ModelForm):
    class Meta:
        model = BreakdownCategory
        fields = ("dimension", "dimension_en", "name", "name_en", "position", "active")


class BaseCategoryFormSet(forms.BaseModelFormSet):
    """The categories of one center; new rows belong to it. A name twice under one dimension
    is a form error (the database would refuse it)."""

    def __init__(self, *args: Any, center: Any, **kwargs: Any) -> None:
        self.center = center
        kwargs.setdefault("queryset", BreakdownCategory.objects.filter(center=center))
        super().__init__(*args, **kwargs)

    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        form = super()._construct_form(i, **kwargs)
        form.instance.center = self.center
        return form

    def clean(self) -> None:
        super().clean()
        seen: set[tuple[str, str]] = set()
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            data = getattr(form, "cleaned_data", {})
            pair = (
                data.get("dimension", "").strip().casefold(),
                data.get("name", "").strip().casefold(),
            )
            if not all(pair):
                continue
            if pair in seen:
                raise forms.ValidationError(
                    _("“%(name)s” appears twice under “%(dimension)s”.")
                    % {"name": data["name"], "dimension": data["dimension"]}
                )
            seen.add(pair)


CategoryFormSet = forms.modelformset_factory(
    BreakdownCategory, form=CategoryForm, formset=BaseCategoryFormSet, extra=3, can_delete=False
)
