"""Reading a request's JSON body: one place for the checks and their wording.

Every value the page sends is checked here before the library sees it; a bad one
raises :class:`InputError`, which names the field (the page shows the message
beside the control of that name) and says what is allowed and what came.  Numbers
may come as JSON numbers or as the text typed into a field ("0.25", "1e-3").
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

__all__ = ["Body", "InputError", "blame"]

_MISSING: Any = object()


class InputError(ValueError):
    """Bad input in a request; ``field`` names the control it came from (or None)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@contextmanager
def blame(field: str) -> Iterator[None]:
    """Attribute a library's ValueError or TypeError to the request field ``field``."""
    try:
        yield
    except InputError:
        raise
    except (ValueError, TypeError) as exc:
        raise InputError(str(exc), field) from exc


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _bound_text(low: float | None, high: float | None, low_open: bool) -> str:
    if low is not None and high is not None:
        return f" in {'(' if low_open else '['}{low:g}, {high:g}]"
    if low is not None:
        return f" {'>' if low_open else '>='} {low:g}"
    if high is not None:
        return f" <= {high:g}"
    return ""


def as_number(
    value: Any,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
) -> float:
    """``value`` as a finite float within the bounds, else an InputError naming ``name``."""
    what = f"`{name}` must be a finite number{_bound_text(low, high, low_open)}"
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InputError(f"{what}; got {type(value).__name__} {_shown(value)}", name)
    if isinstance(value, str):
        text = value.strip()
        try:
            number = float(text)
        except ValueError:
            raise InputError(f"{what}; got {_shown(value)}", name) from None
    else:
        number = float(value)
    if not math.isfinite(number):
        raise InputError(f"{what}; got {_shown(value)}", name)
    if (low is not None and (number < low or (low_open and number == low))) or (
        high is not None and number > high
    ):
        raise InputError(f"{what}; got {number:g}", name)
    return number


class Body:
    """A JSON object from a request, read field by field.

    Every field read is remembered, so that :meth:`check_all_read` can refuse
    a request that carries fields no endpoint reads (a misspelt name would
    otherwise be ignored without a word).
    """

    def __init__(self, data: Any, where: str = "") -> None:
        if not isinstance(data, dict):
            what = f"`{where}`" if where else "the request body"
            raise InputError(f"{what} must be a JSON object; got {type(data).__name__}", where)
        self._data = data
        self._where = where
        self._read: set[str] = set()
        self._children: list[Body] = []

    def _name(self, key: str) -> str:
        return f"{self._where}.{key}" if self._where else key

    def has(self, key: str) -> bool:
        return key in self._data

    def raw(self, key: str, default: Any = _MISSING) -> Any:
        self._read.add(key)
        if key not in self._data:
            if default is _MISSING:
                raise InputError(f"`{self._name(key)}` is missing", self._name(key))
            return default
        return self._data[key]

    def number(
        self,
        key: str,
        *,
        low: float | None = None,
        high: float | None = None,
        low_open: bool = False,
        default: Any = _MISSING,
    ) -> float:
        if default is not _MISSING and not self.has(key):
            self._read.add(key)
            return float(default)
        return as_number(self.raw(key), self._name(key), low=low, high=high, low_open=low_open)

    def integer(self, key: str, *, low: int, high: int, default: Any = _MISSING) -> int:
        if default is not _MISSING and not self.has(key):
            self._read.add(key)
            return int(default)
        value = self.raw(key)
        name = self._name(key)
        what = f"`{name}` must be a whole number in [{low}, {high}]"
        if isinstance(value, str):
            try:
                value = int(value.strip())
            except ValueError:
                raise InputError(f"{what}; got {_shown(value)}", name) from None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(f"{what}; got {type(value).__name__} {_shown(value)}", name)
        if not low <= value <= high:
            raise InputError(f"{what}; got {value}", name)
        return value

    def boolean(self, key: str, *, default: Any = _MISSING) -> bool:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            name = self._name(key)
            raise InputError(
                f"`{name}` must be true or false; got {type(value).__name__} {_shown(value)}", name
            )
        return value

    def choice(self, key: str, options: Sequence[str], *, default: Any = _MISSING) -> str:
        value = self.raw(key, default)
        if not isinstance(value, str) or value not in options:
            name = self._name(key)
            allowed = ", ".join(repr(o) for o in options)
            raise InputError(f"`{name}` must be one of {allowed}; got {_shown(value)}", name)
        return value

    def text(self, key: str, *, max_length: int, default: Any = _MISSING) -> str:
        value = self.raw(key, default)
        name = self._name(key)
        if not isinstance(value, str):
            raise InputError(
                f"`{name}` must be text; got {type(value).__name__} {_shown(value)}", name
            )
        if len(value) > max_length:
            raise InputError(
                f"`{name}` must be at most {max_length} characters; got {len(value)}", name
            )
        return value

    def items(self, key: str, *, min_length: int, max_length: int) -> list[Any]:
        value = self.raw(key)
        name = self._name(key)
        if not isinstance(value, list):
            raise InputError(
                f"`{name}` must be a list; got {type(value).__name__} {_shown(value)}", name
            )
        if not min_length <= len(value) <= max_length:
            raise InputError(
                f"`{name}` must have {min_length} to {max_length} entries; got {len(value)}", name
            )
        return value

    def numbers(
        self,
        key: str,
        *,
        min_length: int,
        max_length: int,
        low: float | None = None,
        high: float | None = None,
    ) -> list[float]:
        values = self.items(key, min_length=min_length, max_length=max_length)
        name = self._name(key)
        return [as_number(v, f"{name}[{i}]", low=low, high=high) for i, v in enumerate(values)]

    def child(self, key: str) -> Body:
        sub = Body(self.raw(key), self._name(key))
        self._children.append(sub)
        return sub

    def check_all_read(self) -> None:
        """Refuse fields that were not read: they would otherwise be ignored silently."""
        unread = sorted(set(self._data) - self._read)
        if unread:
            name = self._name(unread[0])
            raise InputError(f"unknown field `{name}` (not one this endpoint reads)", name)
        for sub in self._children:
            sub.check_all_read()
