from io import StringIO

from django.conf import settings
from django.core.management import call_command


def test_every_periodic_job_runs_inline_without_a_broker(db):
    out, err = StringIO(), StringIO()
    call_command("run_periodic_jobs", stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == list(settings.CELERY_BEAT_SCHEDULE)
    assert err.getvalue() == ""


def test_loading_the_demo_sends_no_notifications(db):
    from notifications.models import OutboxMessage

    call_command("load_demo", stdout=StringIO())
    assert OutboxMessage.objects.count() == 0
