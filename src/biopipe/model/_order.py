"""A mixin giving a total order from one sort key (used by phases and partial dates)."""

from __future__ import annotations

from typing import Any


class KeyOrdered:
    """Rich comparisons between instances of the same class, by ``_order_key()``."""

    __slots__ = ()

    def _order_key(self) -> Any:
        raise NotImplementedError

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, KeyOrdered) or type(other) is not type(self):
            return NotImplemented
        return bool(self._order_key() < other._order_key())

    def __le__(self, other: object) -> bool:
        if not isinstance(other, KeyOrdered) or type(other) is not type(self):
            return NotImplemented
        return bool(self._order_key() <= other._order_key())

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, KeyOrdered) or type(other) is not type(self):
            return NotImplemented
        return bool(self._order_key() > other._order_key())

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, KeyOrdered) or type(other) is not type(self):
            return NotImplemented
        return bool(self._order_key() >= other._order_key())
