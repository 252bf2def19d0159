"""Schemathesis hooks for Focal (loaded through SCHEMATHESIS_HOOKS by test/fuzz/schema.fuzz.test.ts).

- `error_body_is_detail`: every 4xx/5xx body is exactly {"detail": <string>}, nothing else.
- `map_body`: image URLs are pointed at loopback, so a generated {"format": "url"} never makes the API fetch
  from the internet (the SSRF guard refuses loopback with a 400, which is the documented answer).
"""

import json

import schemathesis

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
