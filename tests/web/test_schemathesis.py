"""The served API against its own OpenAPI schema, with a token for each of the four roles: no
5xx, no undocumented status code, content types and bodies as documented.

The app runs behind a real HTTP server (Uvicorn on a loopback port), over the small paid company
on SQLite and over a smaller one on PostgreSQL (which, unlike SQLite, refuses NUL characters in
text: they were 500s). Each operation's strategy is driven by Hypothesis directly; every
generated request is sent once with each role's token. Operations that take a body also get
malformed bodies (negative cases: they were undocumented 400s).

The role accounts are the test's own: cases that would change, deactivate or revoke them are
left out, and a 401 with a live token fails the test (it would mean the run went on unheard).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, assume, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from served_app import Served

from examples_budget import examples

ROLES = ("admin", "finance", "manager", "rep")
ROLE_USER_IDS = {1, 2, 3, 4}
"""The role accounts are the first four users of both stores."""
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SLOW = {"POST /api/v1/plans/{plan}/simulate"}
"""Operations given fewer examples: each valid one pays a span twice."""


def _schema() -> dict[str, Any]:
    from attain.web.app import create_app

    return create_app("sqlite://", secure_cookies=False).openapi()


def _labels(with_body: bool = False) -> list[str]:
    return sorted(
        f"{method.upper()} {path}"
        for path, item in _schema()["paths"].items()
        for method, operation in item.items()
        if not with_body or "requestBody" in operation
    )


_operations: dict[str, dict[str, Any]] = {}
READ_TIMEOUT_S = 60
"""A viewer's first forecast is computed cold (seconds on a loaded two-core machine): the
schema is what is checked here, not the speed, which bench/forecast_page.py measures."""


def _operation(served: Served, label: str) -> Any:
    """The operation as Schemathesis loads it from the served app's own /openapi.json."""
    found = _operations.get(served.base_url)
    if found is None:
        schema = schemathesis.openapi.from_url(f"{served.base_url}/openapi.json")
        found = {}
        for result in schema.get_all_operations():
            op = result.ok()
            found[f"{op.method.upper()} {op.path}"] = op
        _operations[served.base_url] = found
    return found[label]


def _leaves_roles_alone(case: schemathesis.Case) -> bool:
    user = (case.path_parameters or {}).get("user_id")
    return case.method.upper() == "GET" or user not in ROLE_USER_IDS


def _conforms(served: Served, label: str, mode: GenerationMode, count: int) -> None:
    operation = _operation(served, label)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=count,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: schemathesis.Case) -> None:
        assume(_leaves_roles_alone(case))
        for role in ROLES:
            response = case.call_and_validate(
                headers={"Authorization": f"Bearer {served.tokens[role]}"},
                checks=CHECKS,
                timeout=READ_TIMEOUT_S,
            )
            assert response.status_code != 401, f"the {role} token stopped working"

    check()


@pytest.mark.parametrize("label", _labels())
def test_the_served_api_conforms_to_its_schema(label: str, on_sqlite: Served) -> None:
    count = examples(2, 20) if label in SLOW else examples(6, 60)
    _conforms(on_sqlite, label, GenerationMode.POSITIVE, count)


@pytest.mark.parametrize("label", _labels(with_body=True))
def test_malformed_bodies_get_documented_answers(label: str, on_sqlite: Served) -> None:
    _conforms(on_sqlite, label, GenerationMode.NEGATIVE, examples(4, 40))


@pytest.mark.postgres
@pytest.mark.parametrize("label", _labels())
def test_the_served_api_conforms_to_its_schema_on_postgresql(
    label: str, on_postgres: Served
) -> None:
    count = examples(1, 10) if label in SLOW else examples(3, 30)
    _conforms(on_postgres, label, GenerationMode.POSITIVE, count)


def test_the_schema_declares_body_problems() -> None:
    """Every operation with a body documents 400 (unparseable) and 413 (too large): on main
    neither was declared and Schemathesis found the 400."""
    paths = _schema()["paths"]
    for item in paths.values():
        for operation in item.values():
            if "requestBody" in operation:
                assert {"400", "413"} <= set(operation["responses"]), operation["operationId"]


@pytest.mark.postgres
@pytest.mark.parametrize("label", _labels(with_body=True))
def test_malformed_bodies_get_documented_answers_on_postgresql(
    label: str, on_postgres: Served
) -> None:
    _conforms(on_postgres, label, GenerationMode.NEGATIVE, examples(2, 20))
