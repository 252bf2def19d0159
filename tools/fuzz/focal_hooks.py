"""Schemathesis hooks for Focal (loaded through SCHEMATHESIS_HOOKS by test/fuzz/schema.fuzz.test.ts).

- `error_body_is_detail`: every 4xx/5xx body is exactly {"detail": <string>}, nothing else.
- the stateful phase may start a scenario with `POST /models/load` (see `_load_is_a_root`).
- `map_body`: image URLs are pointed at loopback, so a generated {"format": "url"} never makes the API fetch
  from the internet (the SSRF guard refuses loopback with a 400, which is the documented answer).
"""

import json

import schemathesis
from schemathesis.specs.openapi import stateful as _stateful

LOOPBACK_IMAGE_URL = "http://127.0.0.1:9/image.png"


@schemathesis.check
def error_body_is_detail(ctx, response, case):
    if response.status_code < 400:
        return None
    try:
        body = json.loads(response.content)
    except ValueError as error:
        raise AssertionError(f"{response.status_code} body is not JSON: {response.content[:200]!r}") from error
    if not (isinstance(body, dict) and list(body) == ["detail"] and isinstance(body["detail"], str)):
        raise AssertionError(f'{response.status_code} body is not exactly {{"detail": str}}: {str(body)[:200]}')
    return None


def _loopback_urls(body):
    images = body.get("images") if isinstance(body, dict) else None
    if not isinstance(images, list):
        return body
    for image in images:
        if isinstance(image, dict) and image.get("format") == "url":
            image["data"] = LOOPBACK_IMAGE_URL
    return body


@schemathesis.hook
def map_body(ctx, body):
    return _loopback_urls(body)


# Schemathesis' dependency analysis reads the load body's optional `model_id` as a foreign key to a "Model" resource
# that no operation produces, so it never starts a scenario with a load and the declared links load → infer/submit
# are never followed. A load needs nothing that another call makes; let it be a root. (Pinned to schemathesis 4.32.5:
# `is_likely_root_transition` is internal, and requirements.txt pins the version this was written against.)
_likely_root = _stateful.is_likely_root_transition


def _load_is_a_root(operation, node, produced_anywhere):
    return operation.label == "POST /models/load" or _likely_root(operation, node, produced_anywhere)


_stateful.is_likely_root_transition = _load_is_a_root
