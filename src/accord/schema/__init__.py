"""The JSON Schema of accord's report (the public contract) and a validator for it."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

__all__ = ["load_schema", "validate_report"]


@functools.cache
def load_schema() -> dict[str, Any]:
    """Return the JSON Schema of the report, as shipped in the package."""
    text = resources.files(__package__).joinpath("report.schema.json").read_text("utf-8")
    return json.loads(text)


def validate_report(data: dict[str, Any]) -> list[str]:
    """Validate a report dict against the schema; return one message per error (empty if valid)."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(load_schema())
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    ]
