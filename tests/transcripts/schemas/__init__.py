"""Validators for the 1EdTech schemas kept beside this file (see README.md), resolved offline."""

import json
from datetime import datetime
from functools import cache
from pathlib import Path

from jsonschema import Draft201909Validator, FormatChecker
from referencing import Registry, Resource

HERE = Path(__file__).parent
CLR_CREDENTIAL = "clr_v2p0_clrcredential_schema.json"
ACHIEVEMENT_CREDENTIAL = "clr_v2p0_achievementcredential_schema.json"


@cache
def _schemas() -> dict[str, dict]:
    return {
        name: json.loads((HERE / name).read_text(encoding="utf-8")) for name in (CLR_CREDENTIAL, ACHIEVEMENT_CREDENTIAL)
    }


@cache
def _registry() -> Registry:
    """Every schema under its ``$id``; a ``$ref`` to anything else fails instead of being fetched."""
    return Registry().with_resources((schema["$id"], Resource.from_contents(schema)) for schema in _schemas().values())


def _format_checker() -> FormatChecker:
    """``date-time`` checked without optional packages: ISO 8601 with a time zone (the specs' DateTimeZ)."""
    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def is_datetime_with_zone(value: object) -> bool:
        return not isinstance(value, str) or datetime.fromisoformat(value).tzinfo is not None

    return checker


def validator(name: str) -> Draft201909Validator:
    return Draft201909Validator(_schemas()[name], registry=_registry(), format_checker=_format_checker())


def definition_validator(name: str, definition: str) -> Draft201909Validator:
    """A validator for one ``$defs`` entry of a schema, e.g. the CLR schema's ``Profile``."""
    reference = {"$ref": f"{_schemas()[name]['$id']}#/$defs/{definition}"}
    return Draft201909Validator(reference, registry=_registry(), format_checker=_format_checker())


def errors(validator_: Draft201909Validator, instance: dict) -> list[str]:
    """Every schema error, as readable lines (empty when the instance is valid)."""
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator_.iter_errors(instance)]
