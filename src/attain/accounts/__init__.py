"""Accounts: the users who log in, their roles and people, passwords and API tokens."""
