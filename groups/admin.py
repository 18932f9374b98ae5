"""Admin for groups, their leaders, organisations and languages (scoped like the centers)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, ManyToManyField, QuerySet, URLField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from centers.admin import CenterScopedMixin, TabularInline, related_only

from .models import Group, GroupLeader, Language, Organisation


class GroupLeaderInline(CenterScopedMixin, TabularInline):
    model = GroupLeader
    extra = 0
    fields = ("user", "role")
    autocomplete_fields = ("user",)


@admin.register(Group)
class GroupAdmin(CenterScopedMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "center",
        "kind",
        "audience",
        "is_public",
        "free_of_charge",
        "organisation",
        "leader_names",
    )
    list_filter = (
        related_only("center"),
        "kind",
        "audience",
        "is_public",
        "free_of_charge",
        "languages",
    )
    list_select_related = ("center", "organisation")
    search_fields = (
        "name",
        "slug",
        "description",
        "contact_name",
        "organisation__name",
        "leaders__first_name",
        "leaders__last_name",
        "leaders__username",
    )
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("organisation", "partners")
    inlines = (GroupLeaderInline,)
    fieldsets = (
        (None, {"fields": ("center", "name", "slug", "description")}),
        (_("Offer"), {"fields": ("kind", "audience", "languages", "usual_size", "is_public")}),
        (_("Cost"), {"fields": ("free_of_charge", "fee")}),
        (_("Public contact"), {"fields": ("contact_name", "contact_phone", "contact_email")}),
        (_("Organisations"), {"fields": ("organisation", "partners")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Group]:
        return super().get_queryset(request).prefetch_related("leaders")

    def formfield_for_manytomany(
        self, db_field: ManyToManyField, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        # Tick boxes for the handful of languages: easier than a multi-select list.
        if db_field.name == "languages":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("leaders"))
    def leader_names(self, obj: Group) -> str:
        return ", ".join(str(user) for user in obj.leaders.all())


@admin.register(GroupLeader)
class GroupLeaderAdmin(CenterScopedMixin, admin.ModelAdmin):
    list_display = ("user", "group", "role", "center")
    list_filter = ("role", related_only("group__center"))
    list_select_related = ("user", "group__center")
    search_fields = (
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "group__name",
    )
    autocomplete_fields = ("user", "group")

    @admin.display(description=_("center"), ordering="group__center__name")
    def center(self, obj: GroupLeader) -> str:
        return str(obj.group.center)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "website", "group_count")
    list_filter = ("kind",)
    formfield_overrides = {URLField: {"assume_scheme": "https"}}
    search_fields = ("name", "description")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        return super().get_queryset(request).annotate(group_total=Count("groups"))

    @admin.display(description=_("groups"), ordering="group_total")
    def group_count(self, obj: Organisation) -> int:
        return obj.group_total


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ("code", "name_de", "name_en")
    search_fields = ("code", "name_de", "name_en")
