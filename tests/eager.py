"""Run a Celery task in the test process and return its result."""

from typing import Any

from celery import Task


def run_task(task: Task, *args: Any, **kwargs: Any) -> Any:
    """`task.apply(...).get()`, without the "never call get() within a task" guard.

    That guard is one process-wide flag which eager `apply_async` sets and restores without a
    lock; eager tasks in other threads (the live server of the browser tests, the concurrency
    tests) can leave it set, and a later, innocent `.get()` would then fail.
    """
    return task.apply(args=args, kwargs=kwargs).get(disable_sync_subtasks=False)
