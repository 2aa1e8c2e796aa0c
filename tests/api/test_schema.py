"""The API against its own OpenAPI schema: Schemathesis fuzzes every operation of the live
schema (PostgreSQL in `make test`), and the schema's examples are replayed as requests."""

import itertools

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.result import Ok

from tests.api.conftest import bearer, make_token
from tests.factories import ContactFactory, GroupFactory, MembershipFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Bounded: about 20 operations x 2 modes (valid and invalid input) x this many cases keeps
# the run to about a minute.
EXAMPLES_PER_OPERATION = 20


@pytest.fixture
def fuzz_world(admin_user, settings):
    settings.API_THROTTLE_RATE = "100000/minute"
    contact = ContactFactory(email="fuzz@example.com")
    group = GroupFactory(name="Fuzz")
    MembershipFactory(contact=contact, group=group)
    # As Django's test client does: the requests share the test's transaction, which the
    # end of each request would otherwise close.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield {"Authorization": f"Bearer {make_token(admin_user)}"}
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.postgres
@pytest.mark.django_db
def test_every_operation_keeps_to_the_schema(fuzz_world):
    """0 server errors, 0 undocumented status codes or content types, 0 bodies off-schema."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    failures = {}
    results = list(schema.get_all_operations())
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) == len(results) >= 18

    for operation, mode in itertools.product(operations, GenerationMode):

        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def fuzz(case):
            case.call_and_validate(headers=fuzz_world, checks=CHECKS)

        try:
            fuzz()
        except Exception as exc:  # collected: one report names every failing operation
            failures[f"{operation.label} ({mode.value})"] = str(exc)[:2000]
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())


@pytest.mark.django_db
def test_the_examples_of_the_schema_are_real_requests(admin_user, settings):
    """Every request example in the schema, sent as it is, succeeds."""
    settings.API_THROTTLE_RATE = "100000/minute"
    client = bearer(make_token(admin_user))
    spec = client.get("/api/v1/schema/?format=json").json()
    contact = ContactFactory(first_name="Anna")
    sent = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            examples = content.get("application/json", {}).get("examples", {})
            for name, example in examples.items():
                url = path.replace("{contact_id}", str(contact.pk))
                response = getattr(client, method)(
                    url, example["value"], format="json", HTTP_IF_MATCH=f'"{contact.version}"'
                )
                assert response.status_code in (200, 201, 202), (name, response.content)
                assert str(response.status_code) in operation["responses"], name
                contact.refresh_from_db()
                sent += 1
    assert sent >= 2
