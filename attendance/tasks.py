"""Celery adapter of the attendance jobs (the schedule is in config/settings/base.py)."""

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from . import jobs


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3)
def attendance_reminders_send() -> int:
    return jobs.attendance_reminders_send(today=timezone.localdate())
