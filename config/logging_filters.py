"""Filters that config.settings.LOGGING puts on its loggers and handler."""

import logging


class RefusalWithoutTraceback(logging.Filter):
    """A refused request (a 4xx: denied, malformed) logs one line without its traceback,
    which only shows the check that refused it; a 500 keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)  # django.utils.log.log_response sets it
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
