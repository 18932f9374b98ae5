"""Celery adapters of the accounts app."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    max_retries=3,
    acks_late=True,
)
def password_reset_mail(*, email: str, domain: str, use_https: bool, language: str) -> None:
    """Send the reset link to the accounts of `email`, if there are any (nothing tells)."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    with translation.override(language):
        form.save(domain_override=domain, use_https=use_https)


def password_reset_mail_later(**kwargs: object) -> None:
    """Send it from a worker, never from the request: whether a mail goes out (an account
    exists) must not show in the answer's timing, and a slow mail server must not show at all.
    """
    from notifications import sender

    if password_reset_mail.app.conf.task_always_eager:
        if sender.enabled():
            sender.call(lambda: password_reset_mail.apply(kwargs=kwargs))
        else:
            password_reset_mail.apply(kwargs=kwargs)
        return
    try:
        password_reset_mail.apply_async(
            kwargs=kwargs,
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0.2, "interval_step": 0.5},
        )
    except Exception:
        # The person sees the same page and can ask again once the broker is back.
        logger.warning("Could not queue a password reset e-mail", exc_info=True)
