"""The REST API cases of the bench: the first page and a cursor page of contacts/, an
exact look-up by email, a PATCH of one contact, and contacts/bulk/ with 1,000 contacts.

Called from bench/run.py; each case is a Measurement in the pages table of the report.
"""

import time
from datetime import timedelta

from django.contrib.auth.models import User
from django.test.utils import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from api.services import token_create
from bench.dataset import Samples
from bench.timing import Measurement, Plan, Target, measure
from contacts.models import Contact
from contacts.services import contacts_delete

SECTION = "REST API"
API_TARGET = Target(median_ms=20)
BULK_TARGET = Target(median_ms=1000)
BULK_ROWS = 1000
CURSOR_PAGE = 20  # follows this many `next` links to reach a cursor page
LIST_URL = "/api/v1/contacts/"


def client_for(user: User) -> APIClient:
    _, text = token_create(
        user=user,
        name="bench",
        expires_on=timezone.localdate() + timedelta(days=1),
        read_only=False,
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
    return client


def run(user: User, samples: Samples, plan: Plan) -> list[Measurement]:
    # The bench sends far more requests per minute than a client would.
    with override_settings(API_THROTTLE_RATE="1000000/minute"):
        client = client_for(user)
        results = [
            measure(
                client,
                LIST_URL,
                section=SECTION,
                label="contacts/, first page",
                plan=plan,
                target=API_TARGET,
                expect='"results"',
            ),
            _cursor_page(client, plan),
            measure(
                client,
                f"{LIST_URL}?email={samples.email}",
                section=SECTION,
                label="contacts/?email= (exact look-up)",
                plan=plan,
                target=API_TARGET,
                expect=f'"id":{samples.contact_id}',
            ),
            _patch(client, samples.contact_id, plan),
            _bulk(client, plan),
        ]
    return results


def _cursor_page(client: APIClient, plan: Plan) -> Measurement:
    url = LIST_URL
    for _ in range(CURSOR_PAGE):
        url = client.get(url).json()["next"]
    return measure(
        client,
        url,
        section=SECTION,
        label=f"contacts/, cursor page {CURSOR_PAGE + 1}",
        plan=plan,
        target=API_TARGET,
        expect='"results"',
    )


def _patch(client: APIClient, contact_id: int, plan: Plan) -> Measurement:
    url = f"{LIST_URL}{contact_id}/"
    result = Measurement(section=SECTION, label="PATCH contacts/{id}/ (one field)", url=url)
    before = client.get(url)
    etag = before["ETag"]
    for number in range(max(plan.warmup, 1) + plan.requests):
        body = {"nickname": f"bench-{number}"}
        started = time.perf_counter()
        response = client.patch(url, body, format="json", HTTP_IF_MATCH=etag)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            result.error = f"HTTP {response.status_code}"
            break
        etag = response["ETag"]
        if number >= max(plan.warmup, 1):
            result.samples_ms.append(elapsed)
    # The contact keeps its seeded value for the next run.
    client.patch(url, {"nickname": before.json()["nickname"]}, format="json", HTTP_IF_MATCH=etag)
    result.status = 200 if not result.error else None
    return result


def _bulk(client: APIClient, plan: Plan) -> Measurement:
    """1,000 contacts per request: half new (created), half the ones of the previous
    request (updated with a new first name), as a shop or CRM sync sends them."""
    url = "/api/v1/contacts/bulk/"
    result = Measurement(section=SECTION, label=f"contacts/bulk/ ({BULK_ROWS:,} contacts)", url=url)
    result.target = BULK_TARGET
    stamp = time.time_ns()
    try:
        _bulk_requests(client, plan, result, stamp)
    finally:
        # The dataset stays as seeded: the next run reuses it (bench.dataset.restore).
        contacts_delete(
            actor=None, contacts=Contact.objects.filter(email__startswith=f"bulk-{stamp}-")
        )
    result.status = 200 if not result.error else None
    return result


def _bulk_requests(client: APIClient, plan: Plan, result: Measurement, stamp: int) -> None:
    url = result.url
    for number in range(max(plan.warmup, 1) + plan.requests):
        rows = []
        for i in range(BULK_ROWS):
            # Even rows are new; odd rows update the previous request's new ones.
            key, index = (number, i) if i % 2 == 0 else (number - 1, i - 1)
            rows.append(
                {"Email": f"bulk-{stamp}-{key}-{index}@bench.example", "First name": f"N{number}"}
            )
        body = {"match_on": "email", "mode": "create_update", "rows": rows}
        started = time.perf_counter()
        response = client.post(url, body, format="json")
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            result.error = f"HTTP {response.status_code}"
            break
        rejected = [r for r in response.json()["results"] if r["outcome"] == "rejected"]
        if rejected:
            result.error = f"{len(rejected)} rows rejected: {rejected[0]['errors']}"
            break
        if number >= max(plan.warmup, 1):
            result.samples_ms.append(elapsed)
