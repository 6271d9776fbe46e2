import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chainwork.settings")

app = Celery("chainwork")


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
