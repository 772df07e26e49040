#!/usr/bin/python3
"""Convert the OpenAPI document from YAML (what people edit) to JSON (what the server serves)."""
import json
import sys

import yaml

with open(sys.argv[1], encoding="utf-8") as f:
    doc = yaml.safe_load(f)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
