"""Hypothesis entry point: registers biopipe's strategies for ``st.from_type``.

Hypothesis calls `_hypothesis_setup_hook` when it is imported. The strategies
are deferred so that this hook never imports `biopipe.testing.strategies` while
Hypothesis itself is still importing.
"""

from __future__ import annotations

import importlib
from typing import Any


def _hypothesis_setup_hook() -> None:
    from hypothesis import strategies as st

    from ..model import _application, _asset, _dates, _ids, _parties, _source, _trial

    def lazy(name: str) -> Any:
        return st.deferred(lambda: getattr(importlib.import_module("biopipe.testing.strategies"), name)())

    for cls, name in (
        (_dates.PartialDate, "partial_dates"),
        (_dates.FactDate, "fact_dates"),
        (_ids.RegistryId, "registry_ids"),
        (_source.Source, "sources"),
        (_asset.Target, "targets"),
        (_trial.Endpoint, "endpoints"),
        (_trial.Organization, "organizations"),
        (_trial.Arm, "arms"),
        (_trial.Intervention, "interventions"),
        (_trial.Enrollment, "enrollments"),
        (_trial.SourceTerm, "source_terms"),
        (_asset.Alias, "aliases"),
        (_asset.Indication, "indications"),
        (_trial.TrialDesign, "trial_designs"),
        (_trial.Trial, "trials"),
        (_asset.RegulatoryEvent, "regulatory_events"),
        (_application.Application, "applications"),
        (_parties.Territory, "territories"),
        (_parties.Party, "parties"),
        (_parties.Deal, "deals"),
        (_asset.Asset, "assets"),
        (_asset.Portfolio, "portfolios"),
    ):
        st.register_type_strategy(cls, lazy(name))
