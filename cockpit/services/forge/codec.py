"""Forge values to and from JSON, for the snapshot cache."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any, TypeVar, get_args, get_origin, get_type_hints

from cockpit.core import forge_models

T = TypeVar("T")


def encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def decode(cls: type[T], data: dict[str, Any]) -> T:
    hints = get_type_hints(cls, vars(forge_models))
    values = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        raw = data.get(f.name)
        hint = hints[f.name]
        kinds = {get_origin(a) or a for a in get_args(hint)} | {get_origin(hint) or hint}
        if raw is None:
            values[f.name] = None if f.default is dataclasses.MISSING or f.default is None else f.default
        elif datetime in kinds:
            values[f.name] = datetime.fromisoformat(raw)
        elif date in kinds:
            values[f.name] = date.fromisoformat(raw)
        elif tuple in kinds:
            values[f.name] = tuple(raw)
        else:
            values[f.name] = raw
    return cls(**values)
