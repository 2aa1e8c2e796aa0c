"""Idempotency-Key on POST: the same key and body within 24 hours get the first answer
again, without doing the work twice; the same key with another body gets 422.

The key is claimed by inserting its row before the work (the unique constraint decides
between two concurrent requests); the answer is stored after. A 5xx is not kept, so the
client may retry it.
"""

import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from api.models import IdempotentRequest
from api.problems import PROBLEM_TYPE, problem

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# A first request that never finished (its process died) stops blocking the key after this.
ABANDONED_AFTER = timedelta(minutes=10)


def fingerprint(request: Request) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if request.content_type.startswith("multipart/"):
        for name, value in sorted(request.POST.lists()):
            digest.update(json.dumps([name, value]).encode())
        for name, upload in sorted(request.FILES.items()):
            digest.update(name.encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


class Claim:
    """The row of a key claimed by this request, or the answer to give instead of working."""

    def __init__(self, row: IdempotentRequest | None, answer: Response | None) -> None:
        self.row = row
        self.answer = answer


def claim(request: Request) -> Claim | None:
    key = request.headers.get(HEADER)
    if key is None or request.method != "POST":
        return None
    if not key.strip() or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        return Claim(None, problem(400, f"{HEADER} must be 1 to 255 printable characters."))
    user: User = request.user  # type: ignore[assignment]  # authenticated: checked before
    print_ = fingerprint(request)
    cutoff = timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    IdempotentRequest.objects.filter(user=user, key=key, created_at__lt=cutoff).delete()
    try:
        with transaction.atomic():
            row = IdempotentRequest.objects.create(user=user, key=key, fingerprint=print_)
        return Claim(row, None)
    except IntegrityError:
        pass
    first = IdempotentRequest.objects.filter(user=user, key=key).first()
    if first is None:  # it was given up meanwhile: claim it again next time
        return Claim(None, problem(409, "A request with this Idempotency-Key is in progress."))
    if first.fingerprint != print_:
        return Claim(
            None,
            problem(422, f"This {HEADER} was used with another request; use a new key."),
        )
    if first.status is None:
        if timezone.now() - first.created_at > ABANDONED_AFTER:
            first.delete()
        return Claim(None, problem(409, "A request with this Idempotency-Key is in progress."))
    content_type = PROBLEM_TYPE if first.status >= 400 else None
    body = json.loads(first.body) if first.body else None
    answer = Response(body, status=first.status, content_type=content_type)
    if first.location:
        answer["Location"] = first.location
    answer["Idempotent-Replayed"] = "true"
    return Claim(None, answer)


def store(row: IdempotentRequest, response: Response) -> None:
    if response.status_code >= 500:
        row.delete()
        return
    row.status = response.status_code
    row.body = json.dumps(response.data, cls=JSONEncoder) if response.data is not None else ""
    row.location = response.get("Location", "")[:500]
    row.save(update_fields=["status", "body", "location"])
