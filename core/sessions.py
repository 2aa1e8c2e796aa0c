"""The database session store, reading the session with its query written out.

Every page reads the session; through the ORM (a queryset built, compiled and turned into
a model) that read cost twice what the query takes in the database. The same row is read
here with the same condition (the key, not expired) and becomes the same Session; every
other operation is Django's.
"""

from functools import cache

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from core import raw_rows


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        if self.session_key is None:
            return None
        now = raw_rows.param(Session, "expire_date", timezone.now())
        sessions = raw_rows.select_models(Session, _unexpired(), [self.session_key, now])
        if not sessions:
            self._session_key = None
            return None
        return sessions[0]


@cache
def _unexpired() -> str:
    key, expires = (raw_rows.column(Session, name) for name in ("session_key", "expire_date"))
    return f"WHERE {key} = %s AND {expires} > %s"
