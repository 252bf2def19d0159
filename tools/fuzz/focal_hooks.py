"""Schemathesis hooks for Focal (loaded through SCHEMATHESIS_HOOKS by test/fuzz/schema.fuzz.test.ts).

- `error_body_is_detail`: every 4xx/5xx body is exactly {"detail": <string>}, nothing else.
- the stateful phase may start a scenario with `POST /models/load` (see `_load_is_a_root`).
- `map_body`: image URLs are pointed at loopback, so a generated {"format": "url"} never makes the API fetch
  from the internet (the SSRF guard refuses loopback with a 400, which is the documented answer).
- the `byte` format (the spec's bare base64 image strings) draws real PNGs of random size, channels and pixels,
  not random bytes: valid data reaches the models (and the links load → infer/submit get 200s to follow),
  while negative data still sends broken base64 and non-images.
"""

import base64
import json
import struct
import zlib

import schemathesis
from hypothesis import strategies as st
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


# PNG colour types with their channels: grey, RGB, grey + alpha, RGBA (8 bits each).
_PNG_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(width, height, colour_type, pixels):
    row = width * _PNG_CHANNELS[colour_type]
    raw = b"".join(b"\x00" + pixels[y * row : (y + 1) * row] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    chunks = _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(raw)) + _png_chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


@st.composite
def png_base64(draw):
    width, height = draw(st.integers(1, 24)), draw(st.integers(1, 24))
    colour_type = draw(st.sampled_from(sorted(_PNG_CHANNELS)))
    size = width * height * _PNG_CHANNELS[colour_type]
    pixels = draw(st.binary(min_size=size, max_size=size))
    return base64.b64encode(_png(width, height, colour_type, pixels)).decode()


schemathesis.openapi.format("byte", png_base64())


# Schemathesis' dependency analysis reads the load body's optional `model_id` as a foreign key to a "Model" resource
# that no operation produces, so it never starts a scenario with a load and the declared links load → infer/submit
# are never followed. A load needs nothing that another call makes; let it be a root. (Pinned to schemathesis 4.32.5:
# `is_likely_root_transition` is internal, and requirements.txt pins the version this was written against.)
_likely_root = _stateful.is_likely_root_transition


def _load_is_a_root(operation, node, produced_anywhere):
    return operation.label == "POST /models/load" or _likely_root(operation, node, produced_anywhere)


_stateful.is_likely_root_transition = _load_is_a_root
