"""Sessions logged in by Django's ModelBackend name the app's backend from now on.

AUTHENTICATION_BACKENDS no longer lists ModelBackend (core.permissions.PermissionBackend
is one, and logs people in); a session that names a backend not listed is logged out, so
the sessions that name ModelBackend are renamed here. Reversible.
"""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
APP_BACKEND = "core.permissions.PermissionBackend"


def _rename(apps, schema_editor, old: str, new: str) -> None:
    session_model = apps.get_model("sessions", "Session")
    store = SessionStore()
    changed = []
    sessions = session_model.objects.using(schema_editor.connection.alias)
    for session in sessions.iterator(chunk_size=2000):
        data = store.decode(session.session_data)
        if data.get(BACKEND_SESSION_KEY) == old:
            data[BACKEND_SESSION_KEY] = new
            session.session_data = store.encode(data)
            changed.append(session)
    sessions.bulk_update(changed, ["session_data"], batch_size=2000)


def forwards(apps, schema_editor):
    _rename(apps, schema_editor, MODEL_BACKEND, APP_BACKEND)


def backwards(apps, schema_editor):
    _rename(apps, schema_editor, APP_BACKEND, MODEL_BACKEND)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
