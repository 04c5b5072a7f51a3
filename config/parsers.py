"""The API's JSON parser: DRF's, with a limit on how deeply a body nests, and on its size.

Why: a body of 10,000 nested lists made the decoder raise RecursionError, an error 500. No request
of this API nests deeper than a few levels (an activity's participations: object → list →
object), so anything deeper than MAX_DEPTH is refused with a 400 that says so.

Size: DRF 3.18 reads a JSON body through `request.body`, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE
applies, and config.api.exception_handler answers its RequestDataTooBig with a JSON 400. The
parser checks the same limit again on what it reads, because DRF versions before 3.18 handed
parsers the raw stream, where Django's limit never applied.

Referenced from settings.REST_FRAMEWORK by dotted path.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding
from rest_framework.settings import api_settings
from rest_framework.utils.json import strict_constant

# Levels of arrays and objects, the outermost counted as one.
MAX_DEPTH = 32


def depth_of(value: Any) -> int:
    """How deeply `value` nests (a scalar: 0, `[]`: 1, `[[1]]`: 2), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if level > MAX_DEPTH:  # no need to walk the rest: it is refused anyway
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = b"" if stream is None else stream.read(limit + 1) if limit else stream.read()
        if limit and len(raw) > limit:
            raise ParseError(
                f"The request body is larger than {limit} bytes; send less.", code="too_large"
            )
        encoding = get_encoding(parser_context or {})  # text codecs only (no bz2_codec bombs)
        try:
            text = raw.decode(encoding)
            strict = api_settings.STRICT_JSON
            data = json.loads(text, parse_constant=strict_constant if strict else None)
        except RecursionError:
            raise self._too_deep() from None
        except ValueError as exc:  # also UnicodeDecodeError
            raise ParseError(f"JSON parse error - {exc}") from None
        if depth_of(data) > MAX_DEPTH:
            raise self._too_deep()
        return data

    @staticmethod
    def _too_deep() -> ParseError:
        return ParseError(
            f"The JSON body nests more than {MAX_DEPTH} levels of arrays and objects.",
            code="too_deep",
        )
