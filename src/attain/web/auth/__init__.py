"""Accounts and how they prove who they are: passwords, sessions, CSRF, API tokens, rate limits."""

from __future__ import annotations

from attain.web.auth.users import (
    ROLES,
    UserError,
    add_user,
    authenticate,
    get_user,
    list_users,
    new_api_token,
    user_for_token,
)

__all__ = [
    "ROLES",
    "UserError",
    "add_user",
    "authenticate",
    "get_user",
    "list_users",
    "new_api_token",
    "user_for_token",
]
