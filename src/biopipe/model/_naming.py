"""How public classes name their module: the package, not the private module that defines them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["publish"]


def publish(names: Iterable[str], namespace: dict[str, Any], package: str = "biopipe") -> None:
    """Make the classes among *names* in *namespace* report *package* as their module.

    For reprs, tracebacks and the docs (``biopipe.ValidationError``, not
    ``biopipe.model._errors.ValidationError``). Their annotations are resolved
    first, in the module that defines them, because cattrs reads them later
    through the module they report.

    >>> import biopipe
    >>> biopipe.Asset.__module__, biopipe.Timeline.__module__
    ('biopipe', 'biopipe')
    """
    for name in names:
        obj = namespace.get(name)
        if isinstance(obj, type):
            if attrs.has(obj):
                attrs.resolve_types(obj)
            obj.__module__ = package
