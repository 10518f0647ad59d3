"""How public classes name their module: the package, not the private module that defines them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["publish"]


def publish(names: Iterable[str], namespace: dict[str, Any], package: str = "biopipe", *, resolve: bool = True) -> None:
    """Make the classes among *names* in *namespace* report *package* as their module.

    For reprs, tracebacks and the docs (``biopipe.ValidationError``, not
    ``biopipe.model._errors.ValidationError``). Their annotations are resolved
    first, in the module that defines them, because cattrs reads them later
    through the module they report; with ``resolve=False`` they are not, which
    is right only when every name their annotations use is in *package* too
    (the model's classes: `tests/test_layers.py` checks it).

    >>> import biopipe
    >>> biopipe.Asset.__module__, biopipe.Timeline.__module__
    ('biopipe', 'biopipe')
    """
    for name in names:
        obj = namespace.get(name)
        if isinstance(obj, type):
            if resolve and attrs.has(obj):
                attrs.resolve_types(obj)
            obj.__module__ = package
