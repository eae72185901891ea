"""The API against its own OpenAPI schema, with a token for each role: no 5xx, no response that
breaks the schema (status codes, content types, bodies).

Each operation's strategy is driven by Hypothesis directly (a few examples per operation), and
every generated request is sent once with each role's token.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from web_company import Company

ROLES = ("admin", "finance", "manager", "rep")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SLOW = {"POST /api/v1/plans/{plan}/simulate"}
"""Operations given fewer examples: each valid one pays a span twice."""


@pytest.fixture(scope="module")
def api_company(company_template: Company, tmp_path_factory: pytest.TempPathFactory) -> Company:
    return company_template.copy(tmp_path_factory.mktemp("schemathesis"))


@pytest.fixture(scope="module")
def operations(api_company: Company) -> dict[str, Any]:
    from attain.web.app import create_app

    app = create_app(api_company.url, secure_cookies=False)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    out = {}
    for result in schema.get_all_operations():
        op = result.ok()
        out[f"{op.method.upper()} {op.path}"] = op
    return out


def _labels() -> list[str]:
    from attain.web.app import create_app

    schema = create_app("sqlite://", secure_cookies=False).openapi()
    return sorted(
        f"{method.upper()} {path}" for path, item in schema["paths"].items() for method in item
    )


@pytest.mark.parametrize("label", _labels())
def test_api_conforms_to_its_schema(
    label: str, operations: dict[str, Any], api_company: Company
) -> None:
    operation = operations[label]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=2 if label in SLOW else 8,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: schemathesis.Case) -> None:
        for role in ROLES:
            case.call_and_validate(
                headers={"Authorization": f"Bearer {api_company.tokens[role]}"}, checks=CHECKS
            )

    check()
