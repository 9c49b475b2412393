#!/usr/bin/env python3
"""Writes the seed inputs of every fuzz target into fuzz/corpus/<target>/ (files named by the
SHA-1 of their content, as libFuzzer names its own; existing files are kept).

- decode targets: every response body of the spec's example files (spec/**/examples/*.json),
  an instance of the target's model with every property the spec describes, and a few
  hand-written bodies (ARM errors, pages);
- load_spec: the generator's test fixtures and the autorest test server specs up to 32 KiB, as
  JSON (`{` first: read as `spec.json`) and as YAML (read as `spec.yaml`).

Run from anywhere: python3 fuzz/seed.py
"""

import hashlib
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
SPEC = ROOT / "spec/specification/cosmos-db/resource-manager/Microsoft.DocumentDB/DocumentDB/stable/2026-03-15/openapi.json"


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def save(target, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def example_bodies():
    bodies = []
    for path in sorted((ROOT / "spec").rglob("examples/*.json")):
        example = json.loads(path.read_text(encoding="utf-8-sig"))
        for response in example.get("responses", {}).values():
            if isinstance(response, dict) and "body" in response:
                bodies.append(response["body"])
    return bodies


class Instances:
    """Instances of spec definitions with every property set, following `$ref`s across files."""

    def __init__(self, spec_path):
        self.files = {}
        self.spec_path = spec_path.resolve()

    def document(self, path):
        if path not in self.files:
            self.files[path] = json.loads(path.read_text(encoding="utf-8-sig"))
        return self.files[path]

    def resolve(self, path, reference):
        file_part, _, pointer = reference.partition("#")
        target = (path.parent / file_part).resolve() if file_part else path
        value = self.document(target)
        for token in pointer.split("/")[1:]:
            value = value[token.replace("~1", "/").replace("~0", "~")]
        return target, value

    def of(self, name):
        return self.instance(self.spec_path, {"$ref": f"#/definitions/{name}"}, ())

    def instance(self, path, schema, seen):
        """An instance of `schema` (in file `path`); `None` for a schema recursing into itself."""
        if "$ref" in schema:
            target, resolved = self.resolve(path, schema["$ref"])
            key = (target, schema["$ref"].partition("#")[2])
            if key in seen:
                return None
            return self.instance(target, resolved, seen + (key,))
        if "enum" in schema:
            return schema["enum"][0]
        kind = schema.get("type")
        if kind == "array":
            item = self.instance(path, schema.get("items", {}), seen)
            return [] if item is None else [item]
        if kind == "string":
            return {
                "date-time": "2024-01-02T03:04:05.678Z",
                "uuid": "00000000-0000-0000-0000-000000000001",
                "byte": "AQID",
                "uri": "https://example.invalid/x",
                "arm-id": "/subscriptions/s/resourceGroups/r/providers/P.Q/t/n",
            }.get(schema.get("format"), "x")
        if kind == "integer":
            return 1
        if kind == "number":
            return 1.5
        if kind == "boolean":
            return True
        value = {}
        for parent in schema.get("allOf", []):
            parent_value = self.instance(path, parent, seen)
            if isinstance(parent_value, dict):
                value.update(parent_value)
        for key, child in schema.get("properties", {}).items():
            child_value = self.instance(path, child, seen)
            if child_value is not None:
                value[key] = child_value
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and not value:
            extra_value = self.instance(path, extra, seen)
            if extra_value is not None:
                value["key"] = extra_value
        return value


def to_yaml(value, indent=0):
    """Block-style YAML of a JSON value (strings quoted as JSON, which YAML reads)."""
    pad = " " * indent
    if isinstance(value, dict) and value:
        lines = []
        for key, child in value.items():
            if isinstance(child, (dict, list)) and child:
                lines.append(f"{pad}{json.dumps(key)}:\n{to_yaml(child, indent + 2)}")
            else:
                lines.append(f"{pad}{json.dumps(key)}: {to_yaml(child)}")
        return "\n".join(lines)
    if isinstance(value, list) and value:
        lines = []
        for child in value:
            if isinstance(child, (dict, list)) and child:
                lines.append(f"{pad}-\n{to_yaml(child, indent + 2)}")
            else:
                lines.append(f"{pad}- {to_yaml(child)}")
        return "\n".join(lines)
    return json.dumps(value)


def main():
    bodies = example_bodies()
    instances = Instances(SPEC)
    account = instances.of("DatabaseAccountGetResults")
    container = instances.of("SqlContainerGetResults")
    page = instances.of("SqlContainerListResult")
    page["nextLink"] = "https://example.invalid/next?page=2"

    for target in ("decode_database_account", "decode_sql_container", "decode_error_response", "decode_list_page"):
        for body in bodies:
            save(target, compact(body))
    save("decode_database_account", compact(account))
    save("decode_sql_container", compact(container))
    save("decode_list_page", compact(page))
    save("decode_list_page", compact({"value": [container, container], "nextLink": ""}))
    save("decode_list_page", compact({"value": []}))
    for error in (
        {"error": {"code": "BadRequest", "message": "m", "target": "t",
                   "details": [{"code": "c", "message": "d", "details": [{"code": "e"}]}],
                   "additionalInfo": [{"type": "PolicyViolation", "info": {"k": [1, "v"]}}]}},
        {"code": "Conflict", "message": "busy"},
        {"error": {"code": "NotFound"}},
        {"message": "only a message"},
    ):
        save("decode_error_response", compact(error))
    save("decode_error_response", b"<html>Bad gateway</html>")

    specs = [path for path in sorted((ROOT / "codegen/tests/fixtures").rglob("*.json"))
             if "examples" not in path.parts]
    specs += sorted((ROOT / "tests/autorest/spec").glob("*.json"))
    for path in specs:
        data = path.read_bytes()
        if len(data) > 32 * 1024:
            continue
        try:
            value = json.loads(data)
        except ValueError:
            save("load_spec", data)
            continue
        save("load_spec", compact(value))
        save("load_spec", (to_yaml(value) + "\n").encode())
    for path in sorted((ROOT / "codegen/tests/fixtures/errors").glob("malformed.yaml")):
        save("load_spec", path.read_bytes())


if __name__ == "__main__":
    main()
