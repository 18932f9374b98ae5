"""Run every periodic job once, inline — for the embedded set-up, where no celery beat runs.

`make run` calls it at start-up; a cron entry can call it hourly on a small installation
without Redis. Every job is idempotent, so running it more often than beat would is harmless.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Run each job of CELERY_BEAT_SCHEDULE once, inline (for set-ups without Redis)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--only", nargs="*", help="names of the schedule entries to run")

    def handle(self, *args: object, **options: object) -> None:
        only = options.get("only")
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
            if only and name not in only:
                continue
            # Task names are their import paths; importing registers them with the app.
            task = import_string(entry["task"])
            result = task.apply()  # synchronous, in this process, whatever the broker
            if result.failed():
                self.stderr.write(f"{name}: failed: {result.result!r}")
            else:
                self.stdout.write(f"{name}: {result.result}")
        # E-mails the jobs queued go out from the background mail thread (no broker): give it
        # time before this process ends; what is left, the next run sends.
        from notifications import sender

        sender.get().wait_idle(timeout=120)
