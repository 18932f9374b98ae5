"""Accounts in the admin. Center staff may create and look after leaders' accounts, nothing more.

For non-superusers the list holds only plain accounts of their own centers' leaders (and
accounts that lead no group yet), plus their own; the permission fields are hidden, so staff
cannot make anyone staff or superuser, nor touch a colleague's or an administrator's account.
"""

from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group as AuthGroup
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from centers.admin import CenterScopedMixin, TabularInline, scoped_users, sees_everything
from groups.models import GroupLeader

from .models import FeedToken, PermissionGroup, User

# Django's permission groups move beside the accounts under a name of their own: the admin
# already has "Gruppen", the groups that book rooms.
admin.site.unregister(AuthGroup)
admin.site.register(PermissionGroup, GroupAdmin)


class LeadershipInline(CenterScopedMixin, TabularInline):
    model = GroupLeader
    fk_name = "user"
    extra = 0
    fields = ("group", "role")
    autocomplete_fields = ("group",)
    verbose_name = _("leads group")
    verbose_name_plural = _("leads groups")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Treffpunkt"), {"fields": ("preferred_language", "email_notifications")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "preferred_language",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "is_staff",
        "preferred_language",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "preferred_language", "groups")
    search_fields = ("username", "first_name", "last_name", "email", "leaderships__group__name")
    inlines = (LeadershipInline,)
    actions = ("allow_login",)

    @admin.action(description=_("Allow logging in again (after too many wrong passwords)"))
    def allow_login(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        # The queryset is already scoped to the accounts this person may look after.
        usernames = list(queryset.values_list("username", flat=True))
        for username in usernames:
            axes_reset(username=username)
        self.message_user(
            request,
            ngettext(
                "%(count)d account may log in again.",
                "%(count)d accounts may log in again.",
                len(usernames),
            )
            % {"count": len(usernames)},
            messages.SUCCESS,
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        queryset = super().get_queryset(request)
        if sees_everything(request.user):
            return queryset
        return queryset.filter(pk__in=scoped_users(request.user).values("pk"))

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or sees_everything(request.user):
            return fieldsets
        # Staff keep "active" (to lock a leader out) but not staff/superuser status,
        # auth groups or single permissions.
        limited = []
        for name, options in fieldsets:
            fields = options["fields"]
            if "is_superuser" in fields:
                options = {**options, "fields": ("is_active",)}
            limited.append((name, options))
        return limited

    def get_list_filter(self, request: HttpRequest) -> Any:
        if sees_everything(request.user):
            return self.list_filter
        return ("is_active", "preferred_language")


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin):
    """Only to see and revoke; the secret itself is never stored, so it cannot be shown."""

    list_display = ("user", "kind", "center", "created_at", "expires_at", "revoked_at")
    list_filter = ("kind", "center")
    list_select_related = ("user", "center")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    readonly_fields = ("user", "kind", "center", "created_at")
    fields = ("user", "kind", "center", "created_at", "expires_at", "revoked_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
