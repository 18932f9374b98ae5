"""Attendance in the admin, for administrators: counts with their history, and the categories.
Center staff record counts and edit their categories on their own pages (see reports)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from centers.admin import CenterScopedMixin

from .models import Attendance, BreakdownCategory


@admin.register(Attendance)
class AttendanceAdmin(CenterScopedMixin, SimpleHistoryAdmin):
    list_display = ("occurrence", "participants", "volunteer_hours", "checked_in_at", "updated_at")
    list_select_related = ("occurrence__series__group",)
    raw_id_fields = ("occurrence", "checked_in_by", "recorded_by")
    search_fields = ("occurrence__series__group__name", "occurrence__series__title")


@admin.register(BreakdownCategory)
class BreakdownCategoryAdmin(CenterScopedMixin, admin.ModelAdmin):
    list_display = ("center", "dimension", "name", "name_en", "position", "active")
    list_filter = ("center", "active")
    list_select_related = ("center",)
    search_fields = ("dimension", "name", "name_en", "center__name")
