"""Alembic environment for accord's corpus store: runs on the connection the store hands over."""

from __future__ import annotations

from alembic import context

from accord.store import metadata

config = context.config
target_metadata = metadata


def run_migrations() -> None:
    """Run migrations on ``config.attributes["connection"]`` (the store always passes one)."""
    connection = config.attributes.get("connection")
    if connection is None:
        from sqlalchemy import create_engine

        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as connection:
            _run(connection)
        return
    _run(connection)


def _run(connection: object) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
