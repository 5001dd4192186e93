#!/usr/bin/env python3
"""Validates Schemas/*.json against Schemas/dpsynth-schema.json (needs `pip install jsonschema`).

    python3 scripts/validate-schemas.py
"""
import glob
import json
import os
import sys

import jsonschema

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, "..", "Schemas")
with open(os.path.join(root, "dpsynth-schema.json")) as f:
    meta = json.load(f)
jsonschema.Draft202012Validator.check_schema(meta)
validator = jsonschema.Draft202012Validator(meta)
failures = 0
for path in sorted(glob.glob(os.path.join(root, "*.json"))):
    if path.endswith("dpsynth-schema.json"):
        continue
    with open(path) as f:
        errors = list(validator.iter_errors(json.load(f)))
    for error in errors:
        print(f"{os.path.basename(path)}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
    failures += len(errors)
    print(f"{os.path.basename(path)}: {'ok' if not errors else f'{len(errors)} errors'}")
sys.exit(1 if failures else 0)
