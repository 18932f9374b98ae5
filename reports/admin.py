"""Administrators assign coordinators; center staff do not (a coordinator sees figures across
centers, which is more than any one center's staff may grant)."""

from django.contrib import admin
from django.http import HttpRequest

from centers.admin import SafeAutocompleteMixin

from .models import Coordinator


@admin.register(Coordinator)
class CoordinatorAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ("user", "organisation", "created_at")
    list_filter = ("organisation",)
    list_select_related = ("user", "organisation")
    search_fields = ("user__username", "user__first_name", "user__last_name", "organisation__name")
    autocomplete_fields = ("user", "organisation")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_superuser
