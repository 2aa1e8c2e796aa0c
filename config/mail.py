"""Local mail: print each message and keep a copy as an .eml file under var/mail/."""

import sys
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class ConsoleAndFileBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        folder = Path(settings.EMAIL_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            raw = message.message().as_bytes()
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            path = folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            path.write_bytes(raw)
            sys.stdout.write(f"--- mail to {', '.join(message.to)} saved as {path}\n")
            sys.stdout.write(raw.decode("utf-8", "replace") + "\n")
            sys.stdout.flush()
        return len(email_messages)
