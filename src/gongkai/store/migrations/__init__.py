"""Alembic migrations of the store (run by `gongkai db upgrade` and on every open)."""
