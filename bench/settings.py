"""Settings of the bench process: the app's own, with what measuring needs on top.

DEBUG stays off (as in production); the test client's host is allowed; a bench
urlconf adds a stock Django admin beside the app's; Celery publishes to an in-memory
broker, so the jobs that anonymize and export queue on commit go nowhere.
"""

from config.settings import *  # noqa: F403
from config.settings import ALLOWED_HOSTS, LOGGING, STATIC_ROOT, STORAGES, VAR_DIR

DEBUG = False
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
ROOT_URLCONF = "bench.urls"

CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The bench's export files stay apart from a local install's.
EXPORTS_ROOT = VAR_DIR / "bench" / "exports"

# The production storage needs the manifest of collectstatic (made by `make setup`);
# without one the pages would fail to render, so fall back to plain static URLs.
if not (STATIC_ROOT / "staticfiles.json").exists():
    STORAGES = {
        **STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

# The in-memory broker warns that it has no host name; nothing is wrong.
LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "kombu": {"level": "ERROR"}}}
