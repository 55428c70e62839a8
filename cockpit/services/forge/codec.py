"""Forge values (core/forge_models: named tuples) to and from JSON, for the snapshot cache."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar, get_args, get_origin, get_type_hints

from cockpit.core import forge_models

T = TypeVar("T")


def encode(value: Any) -> Any:
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a forge value: an object, field by field
        return {name: encode(getattr(value, name)) for name in value._fields}
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
    defaults = cls._field_defaults  # type: ignore[attr-defined]
    for name in cls._fields:  # type: ignore[attr-defined]
        raw = data.get(name)
        hint = hints[name]
        kinds = {get_origin(a) or a for a in get_args(hint)} | {get_origin(hint) or hint}
        if raw is None:
            values[name] = defaults.get(name)
        elif datetime in kinds:
            values[name] = datetime.fromisoformat(raw)
        elif date in kinds:
            values[name] = date.fromisoformat(raw)
        elif tuple in kinds:
            values[name] = tuple(raw)
        else:
            values[name] = raw
    return cls(**values)
