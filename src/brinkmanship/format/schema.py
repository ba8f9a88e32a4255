"""The JSON Schema of the scenario format, generated from :mod:`brinkmanship.format.spec`.

The same spec objects check scenarios when they load, so the schema editors use
and the validator cannot disagree about which keys exist. Two schemas: one for a
scenario's main file, one for the files it includes (content only).
"""

from __future__ import annotations

import json
from typing import Any

from brinkmanship.format import spec

PART_ID = "https://brinkmanship.invalid/schema/scenario-part-1.json"


def scenario_schema() -> dict[str, Any]:
    return spec.json_schema()


def part_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": PART_ID,
        "title": "Brinkmanship scenario, included file (format 1)",
        **spec.INCLUDED.schema(),
    }


def schema_text(part: bool = False) -> str:
    """The schema as written to docs/scenario(-part).schema.json and printed by the CLI."""
    data = part_schema() if part else scenario_schema()
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
