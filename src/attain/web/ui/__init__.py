"""The pages: server-rendered HTML, one module per audience."""

from __future__ import annotations

from fastapi import APIRouter

from attain.web.ui import (
    admin_pages,
    auth_pages,
    finance_pages,
    forecast_pages,
    lifecycle_pages,
    pay_pages,
    plan_pages,
    process_compare_page,
    process_pages,
)

ui_router = APIRouter(include_in_schema=False)
for module in (
    auth_pages,
    pay_pages,
    finance_pages,
    admin_pages,
    plan_pages,
    lifecycle_pages,
    forecast_pages,
    process_compare_page,
    process_pages,
    process_compare_page,
):
    ui_router.include_router(module.router)

__all__ = ["ui_router"]
