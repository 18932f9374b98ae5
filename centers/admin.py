"""Admin for centers, rooms, equipment, opening hours and closures.

Staff see only their own centers. `CenterScopedMixin` (also used by the groups and bookings
admins) filters every list, every object lookup and every foreign-key choice to
`managed_centers(request.user)`; an object of another center simply does not exist for them
(the admin answers a change URL for it with its "does not exist" redirect). Superusers see all.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from config.forms import INT_MAX

from .models import Center, Closure, Equipment, OpeningHours, Room, SchoolHoliday, Term
from .permissions import managed_centers

# How each center-owned model reaches its center, by model label. One table, so that list
# queries, object checks and foreign-key choices all scope the same way.
CENTER_PATHS: dict[str, str] = {
    "centers.center": "pk",
    "centers.room": "center",
    "centers.openinghours": "center",
    "centers.closure": "center",
    "centers.term": "center",
    "planning.round": "center",
    "planning.wish": "round__center",
    "groups.group": "center",
    "groups.groupleader": "group__center",
    "bookings.series": "group__center",
    "bookings.occurrence": "series__group__center",
    "attendance.attendance": "occurrence__series__group__center",
    "attendance.breakdowncategory": "center",
    "display.displaysettings": "center",
    "display.noshow": "occurrence__series__group__center",
}


def sees_everything(user: User) -> bool:
    return user.is_active and user.is_superuser


def scope_to_managed_centers(queryset: QuerySet, user: User) -> QuerySet:
    """Only rows of centers the user manages; unscoped models and superusers unchanged."""
    path = CENTER_PATHS.get(queryset.model._meta.label_lower)
    if path is None or sees_everything(user):
        return queryset
    # Forward foreign keys only: no join can duplicate rows, so no DISTINCT needed.
    return queryset.filter(**{f"{path}__in": managed_centers(user)})


def scoped_users(user: User) -> QuerySet[User]:
    """Accounts a center's staff may see and pick as leaders.

    Plain accounts (no staff, no superuser) that lead a group of their centers or lead no group
    yet (a leader just registered), and themselves. Staff never see other staff's accounts,
    so they cannot change a colleague's or an administrator's password.
    """
    queryset = User.objects.all()
    if sees_everything(user):
        return queryset
    from groups.models import Group

    own_groups = Group.objects.filter(center__in=managed_centers(user))
    plain = queryset.filter(is_staff=False, is_superuser=False).filter(
        models.Q(leaderships__group__in=own_groups) | models.Q(leaderships__isnull=True)
    )
    return (plain | queryset.filter(pk=user.pk)).distinct()


class _SafeAutocompleteMixin:
    """Django's autocomplete widget shows a refused form again by looking up the submitted ids
    unchecked: "abc" or an id beyond 64 bits would be a 500 instead of a form error."""

    def optgroups(self, name: str, value: list[str], attr: Any = None) -> Any:
        return super().optgroups(name, [v for v in value if self._usable(v)], attr)

    def _usable(self, value: str) -> bool:
        try:
            number = self.field.target_field.to_python(value)
        except ValidationError:
            return False
        return not isinstance(number, int) or abs(number) <= INT_MAX


class SafeAutocompleteSelect(_SafeAutocompleteMixin, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_SafeAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """For a ModelAdmin with autocomplete_fields: the widgets that survive garbled ids."""

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CenterScopedMixin(SafeAutocompleteMixin):
    """For ModelAdmins and inlines of center-owned models (see CENTER_PATHS)."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return scope_to_managed_centers(super().get_queryset(request), request.user)

    def in_scope(self, request: HttpRequest, obj: models.Model | None) -> bool:
        # Also guards views that do not go through get_queryset, such as simple_history's
        # history pages, which load past versions directly.
        if obj is None or obj.pk is None or sees_everything(request.user):
            return True
        manager = type(obj)._default_manager
        return scope_to_managed_centers(manager.filter(pk=obj.pk), request.user).exists()

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # simple_history filters by the raw id from the URL: "history of abc" must be a 404,
        # not a ValueError (Django's own object views already answer malformed ids).
        try:
            self.model._meta.pk.to_python(object_id)
        except ValidationError as malformed:
            raise Http404 from malformed
        return super().history_view(request, object_id, extra_context)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        # Choices, not just what is shown: a forged POST with another center's id fails
        # validation like any invalid choice.
        related = db_field.related_model
        if related._meta.label_lower in CENTER_PATHS:
            kwargs["queryset"] = scope_to_managed_centers(
                kwargs.get("queryset", related._default_manager.all()), request.user
            )
        elif related is User:
            kwargs["queryset"] = scoped_users(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def related_only(field: str) -> tuple[str, type[admin.RelatedOnlyFieldListFilter]]:
    """A list filter offering only values present in the (scoped) list, not every center's."""
    return (field, admin.RelatedOnlyFieldListFilter)


class TabularInline(admin.TabularInline):
    """Django's tabular inline names its columns only in the table head, so a screen reader
    meets unlabelled fields row after row: every field here carries its column's name."""

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            field.widget.attrs.setdefault("aria-label", str(field.label))
        return field

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)

        class Labelled(formset):  # type: ignore[misc, valid-type]
            def add_fields(self, form: forms.Form, index: int | None) -> None:
                super().add_fields(form, index)
                if "DELETE" in form.fields:  # the formset's own checkbox, not a model field
                    delete = form.fields["DELETE"]
                    delete.widget.attrs.setdefault("aria-label", str(delete.label))

        return Labelled


class OpeningHoursInline(CenterScopedMixin, TabularInline):
    model = OpeningHours
    extra = 0
    fields = ("weekday", "opens", "closes")


class RoomInline(CenterScopedMixin, TabularInline):
    model = Room
    extra = 0
    fields = ("name", "capacity", "floor", "step_free", "bookable", "requires_approval")
    show_change_link = True


class ClosureInline(CenterScopedMixin, TabularInline):
    """Closures are saved through the booking engine (see CenterAdmin.save_formset): adding one
    cancels the dates in it, changing or deleting one brings its dates back where free."""

    model = Closure
    extra = 0
    fields = ("reason", "room", "starts_at", "ends_at")

    def get_formset(self, request: HttpRequest, obj: Center | None = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            # Only this center's rooms (the form class is built per request, so this is safe).
            room_field = formset.form.base_fields["room"]
            room_field.queryset = room_field.queryset.filter(center=obj)
        return formset


@admin.register(Center)
class CenterAdmin(CenterScopedMixin, admin.ModelAdmin):
    list_display = ("name", "city", "district", "federal_state", "room_count", "updated_at")
    list_filter = ("federal_state", "city")
    search_fields = ("name", "slug", "city", "district", "street")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("operators", "partners")
    filter_horizontal = ("staff",)
    inlines = (RoomInline, OpeningHoursInline, ClosureInline)
    # Staff type "www.example.org": read it as https, as Django 6 will.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("name", "slug", "description")}),
        (_("Address"), {"fields": ("street", "postal_code", "city", "district", "directions")}),
        (_("Organisations"), {"fields": ("operators", "partners")}),
        (
            _("Public contact"),
            {"fields": ("contact_name", "contact_phone", "contact_email", "website")},
        ),
        (_("Time and holidays"), {"fields": ("time_zone", "federal_state")}),
        (_("Staff"), {"fields": ("staff",)}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Center]:
        return super().get_queryset(request).annotate(room_total=models.Count("rooms"))

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Closure:
            super().save_formset(request, form, formset, change)
            return
        save_closures(request, formset)

    @admin.display(description=_("rooms"), ordering="room_total")
    def room_count(self, obj: Center) -> int:
        return obj.room_total

    def get_readonly_fields(self, request: HttpRequest, obj: Center | None = None) -> tuple:
        # Who runs a center is decided by administrators, not by the staff themselves.
        if sees_everything(request.user):
            return ()
        return ("staff", "slug")

    def get_prepopulated_fields(self, request: HttpRequest, obj: Center | None = None) -> dict:
        return self.prepopulated_fields if sees_everything(request.user) else {}


class RoomPartInline(CenterScopedMixin, TabularInline):
    model = Room
    fk_name = "parent"
    extra = 0
    fields = ("name", "capacity", "bookable")
    show_change_link = True
    verbose_name = _("part")
    verbose_name_plural = _("parts of this room")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A part needs its own center and settings: add it as a room with "part of" set.
        return False


@admin.register(Room)
class RoomAdmin(CenterScopedMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "center",
        "capacity",
        "floor",
        "step_free",
        "bookable",
        "requires_approval",
        "parent",
    )
    list_filter = (
        related_only("center"),
        "bookable",
        "requires_approval",
        "step_free",
        "equipment",
    )
    list_select_related = ("center", "parent")
    search_fields = ("name", "description", "center__name")
    inlines = (RoomPartInline,)
    fieldsets = (
        (None, {"fields": ("center", "name", "description", "capacity", "colour")}),
        (_("Access"), {"fields": ("floor", "step_free", "accessibility_notes")}),
        (_("Equipment"), {"fields": ("equipment",)}),
        (
            _("Booking rules"),
            {
                "fields": (
                    "bookable",
                    "requires_approval",
                    "setup_minutes",
                    "cleanup_minutes",
                    "parent",
                )
            },
        ),
    )

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        # Tick boxes: easier for staff than a multi-select list.
        if db_field.name == "equipment":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name == "parent":
            # Only whole rooms can be divided; the model checks the center on save.
            kwargs["queryset"] = Room.objects.filter(parent__isnull=True).select_related("center")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Equipment)
class EquipmentAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "code", "room_count")
    search_fields = ("name", "name_en", "code")
    prepopulated_fields = {"code": ("name_en",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Equipment]:
        return super().get_queryset(request).annotate(room_total=models.Count("rooms"))

    @admin.display(description=_("rooms"), ordering="room_total")
    def room_count(self, obj: Equipment) -> int:
        return obj.room_total


@admin.register(OpeningHours)
class OpeningHoursAdmin(CenterScopedMixin, admin.ModelAdmin):
    list_display = ("center", "weekday", "opens", "closes")
    list_filter = (related_only("center"), "weekday")
    list_select_related = ("center",)
    search_fields = ("center__name",)


@admin.register(Closure)
class ClosureAdmin(CenterScopedMixin, admin.ModelAdmin):
    list_display = ("reason", "center", "room", "starts_at", "ends_at")
    list_filter = (related_only("center"), related_only("room"))
    list_select_related = ("center", "room")
    search_fields = ("reason", "center__name", "room__name")
    date_hierarchy = "starts_at"


def save_closures(request: HttpRequest, formset: Any) -> None:
    """Add, change and delete closures through the booking engine's closure services, so that
    the dates they cover are cancelled and reinstated exactly as on the staff pages."""
    # Imported here: the engine builds on this app, not the other way round.
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from bookings import services

    formset.save(commit=False)
    try:
        for closure in formset.deleted_objects:
            services.closure_delete(user=request.user, closure=closure)
        for closure in formset.new_objects:
            created, _cancelled = services.closure_create(
                user=request.user,
                center=closure.center,
                room=closure.room,
                starts_at=closure.starts_at,
                ends_at=closure.ends_at,
                reason=closure.reason,
            )
            closure.pk = created.pk
        for closure, _fields in formset.changed_objects:
            services.closure_update(
                user=request.user,
                closure=Closure.objects.get(pk=closure.pk),
                room=closure.room,
                starts_at=closure.starts_at,
                ends_at=closure.ends_at,
                reason=closure.reason,
            )
    except ValidationError as error:
        # Nothing of this save may stay (the admin wraps it in one transaction).
        transaction.set_rollback(True)
        for text in error.messages:
            messages.error(request, text)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown for reference only: changes go through the staff pages, whose services keep the
    dates of the series that depend on them right."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SchoolHoliday)
class SchoolHolidayAdmin(ReadOnlyAdmin):
    list_display = ("name", "state", "first_day", "last_day", "is_sample", "source")
    list_filter = ("state", "is_sample")
    search_fields = ("name",)


@admin.register(Term)
class TermAdmin(CenterScopedMixin, ReadOnlyAdmin):
    list_display = ("name", "center", "first_day", "last_day")
    list_filter = (related_only("center"),)
