"""E-mail backends for tests: one that always fails, one that fails for some addresses."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend

FAILING_DOMAIN = "@unreachable.example"


class FailingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class FileOrFailBackend(FileBackend):
    """Writes mails to EMAIL_FILE_PATH, except to FAILING_DOMAIN, whose server is "down"."""

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        for message in email_messages:
            if any(address.endswith(FAILING_DOMAIN) for address in message.recipients()):
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(email_messages)
