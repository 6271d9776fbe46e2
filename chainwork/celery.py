import os

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chainwork.settings")


class StatementLimitedTask(Task):
    """Every task's queries run under DB_TASK_STATEMENT_TIMEOUT_MS, lifted when the task ends (the
    worker's connection serves the next task). Run inline by a request, a task keeps the request's limit."""

    def __call__(self, *args, **kwargs):
        from django.conf import settings

        from chainwork.statement_timeout import statement_timeout

        with statement_timeout(settings.DB_TASK_STATEMENT_TIMEOUT_MS):
            return super().__call__(*args, **kwargs)


app = Celery("chainwork", task_cls=StatementLimitedTask)


@app.on_configure.connect
def fill_in_local_defaults(sender, **kwargs):
    """A worker or beat (`celery -A chainwork`) reads the settings when it first needs its configuration:
    the local defaults go into the environment just before. The app is imported by every process
    (chainwork/__init__.py), so this must not run on import: importing the settings starts nothing.
    Imported here so that `python -m chainwork.embedded` does not find its module loaded already."""
    from chainwork.embedded import ensure_environment

    ensure_environment()


app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
