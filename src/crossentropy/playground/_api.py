"""The JSON API: one function per endpoint, each a pure function of its request.

``POST /api/<room>/<action>`` with a JSON object answers a JSON object; bad input
answers 400 with ``{"error": message, "field": name}``.  The table
:data:`ENDPOINTS` is the whole API; ``GET /api/info`` describes what the page
may choose from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import _classify, _information, _line
from ._datasets import DATASETS, MAX_UPLOAD_BYTES, MAX_UPLOAD_ROWS, UploadStore
from ._inputs import Body

__all__ = ["ENDPOINTS", "Context", "info"]


@dataclass
class Context:
    """What one server keeps between requests: the uploaded tables, by content."""

    uploads: UploadStore = field(default_factory=UploadStore)


Handler = Callable[[Body, Context], Any]


def _plain(fn: Callable[[Body], Any]) -> Handler:
    def handler(body: Body, ctx: Context) -> Any:
        return fn(body)

    handler.__doc__ = fn.__doc__
    return handler


def _with_uploads(fn: Callable[[Body, UploadStore], Any]) -> Handler:
    def handler(body: Body, ctx: Context) -> Any:
        return fn(body, ctx.uploads)

    handler.__doc__ = fn.__doc__
    return handler


#: POST endpoints: path -> handler(body, context).
ENDPOINTS: dict[str, Handler] = {
    "/api/line/setup": _plain(_line.line_setup),
    "/api/line/evaluate": _plain(_line.line_evaluate),
    "/api/line/descend": _plain(_line.line_descend),
    "/api/rate/setup": _plain(_line.rate_setup),
    "/api/rate/descend": _plain(_line.rate_descend),
    "/api/classify/data": _with_uploads(_classify.classify_data),
    "/api/classify/evaluate": _with_uploads(_classify.classify_evaluate),
    "/api/classify/step": _with_uploads(_classify.classify_step),
    "/api/classify/export": _with_uploads(_classify.classify_export),
    "/api/classify/save_model": _with_uploads(_classify.classify_save_model),
    "/api/information/measures": _plain(_information.measures),
    "/api/information/coin": _plain(_information.coin),
    "/api/information/draw": _plain(_information.draw_distributions),
    "/api/likelihood/dice": _plain(_information.dice),
    "/api/likelihood/throw": _plain(_information.throw_die),
}
#: The upload endpoint reads a CSV body (``Content-Type: text/csv``), not JSON.
UPLOAD_PATH = "/api/classify/upload"


def info() -> dict[str, Any]:
    """What the page may choose from, and the server's limits (``GET /api/info``)."""
    from .. import __version__

    return {
        "version": __version__,
        "endpoints": sorted([*ENDPOINTS, UPLOAD_PATH, "/api/info"]),
        "datasets": DATASETS,
        "features": list(_classify.FEATURES),
        "methods": list(_classify.METHODS),
        "max_steps": _classify.MAX_STEPS,
        "age_scales": list(_line.AGE_SCALES),
        "units": list(_information.UNITS),
        "presets": _information.PRESETS,
        "max_upload_bytes": MAX_UPLOAD_BYTES,
        "max_upload_rows": MAX_UPLOAD_ROWS,
    }
