"""Thin Celery tasks of pilotage (scheduled in pilotage/beat.py)."""

from celery import shared_task


@shared_task
def task_run_daily_job():
    """The daily job: tacit acceptances, reminders, anonymisation past retention, purge of login records."""
    from .daily import run_daily_job

    return run_daily_job()
