import gc
import os

from django.core.wsgi import get_wsgi_application

from chainwork.embedded import ensure_environment

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chainwork.settings")
ensure_environment()
application = get_wsgi_application()

# What is loaded at this point (Django, the apps, the URL conf, translations) lives as long as the
# process: out of the collector's sight, a full collection does not walk hundreds of thousands of
# objects in the middle of a request. The threshold lets a request's short-lived objects die young in
# fewer passes.
gc.freeze()
gc.set_threshold(50_000, 20, 20)
