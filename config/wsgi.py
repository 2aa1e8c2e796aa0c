import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# The URLconf imports every view, form and template tag module. What is loaded now lives
# as long as the process: frozen, the garbage collector's full passes (one every ~100
# requests, ~140,000 objects) skip it instead of walking it again each time.
get_resolver().url_patterns  # noqa: B018  (loads the URLconf)
gc.freeze()
