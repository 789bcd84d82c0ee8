"""Flask's JSON answers encoded by orjson: the same JSON as Flask's provider, several times faster."""
from __future__ import annotations

from typing import Any

import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider

# Types orjson would write its own way (datetimes as RFC 3339) go to Flask's `default` instead, so
# an answer reads exactly as with Flask's provider; so do types orjson does not know (Decimal).
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME  # (OPT_NON_STR_KEYS doubled the cost of every answer)


class OrjsonProvider(DefaultJSONProvider):
    """DefaultJSONProvider with orjson for dumps (compact, UTF-8); parsing stays Flask's."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        """Serialize obj; options Flask passes (indent for debug) fall back to the standard library."""
        if kwargs:
            return super().dumps(obj, **kwargs)
        return self._encode(obj).decode()

    def response(self, *args: Any, **kwargs: Any) -> Response:
        """A JSON response of args/kwargs as jsonify makes it, encoded once to bytes."""
        obj = self._prepare_response_obj(args, kwargs)
        if self.compact is False or (self.compact is None and self._app.debug):
            return super().response(*args, **kwargs)
        return self._app.response_class(self._encode(obj) + b"\n", mimetype=self.mimetype)

    def _encode(self, obj: Any) -> bytes:
        option = _OPTIONS | orjson.OPT_SORT_KEYS if self.sort_keys else _OPTIONS
        try:
            return orjson.dumps(obj, default=self.default, option=option)
        except TypeError:
            # Beyond orjson: integers over 64 bits, non-str dict keys... the standard library.
            return super().dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()
