"""The editor JSON Schema for case files, derived from schema.CASE and the taxonomy.

VS Code's YAML extension reads it through the `# yaml-language-server: $schema=…` line at the
top of each case, completing field names and taxonomy keys and flagging mistakes as you type.
"""

from __future__ import annotations

import json
from typing import Any

from casebook.content import schema
from casebook.content.model import Library

SCHEMA_ID = "https://casebook.invalid/schema/case.schema.json"


def case_json_schema(library: Library) -> dict[str, Any]:
    document = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "服务营销案例库：案例文件",
        "description": "cases/<id>.yaml 的格式。由 casebook/content/schema.py 生成，请勿手改；"
        "运行 `python build.py schema` 重新生成。",
        **schema.CASE.json_schema(library),
    }
    return document


def render_json_schema(library: Library) -> str:
    return json.dumps(case_json_schema(library), ensure_ascii=False, indent=2) + "\n"
