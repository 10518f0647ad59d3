"""The attrs model: validation on construction and on evolve, immutability, hashability."""

from __future__ import annotations

from typing import Any, cast

import attrs
import pytest
from hypothesis import given

import biopipe
from biopipe import (
    Asset,
    DateBasis,
    EventKind,
    FactDate,
    InvalidIdentifier,
    Modality,
    PartialDate,
    Registry,
    RegistryId,
    RegulatoryEvent,
    Target,
    Trial,
    TrialDesign,
    TrialStatus,
    ValidationError,
)
from biopipe.testing import strategies as bst


def _problem_paths(error: ValidationError) -> list[str]:
    return [p.path for p in error.problems]


@pytest.mark.parametrize("n", [1, 3])
def test_a_bispecific_names_exactly_two_targets(n: int) -> None:
    """One or three targets on a bispecific ADC is an error at 'targets'."""
    targets = tuple(Target(symbol=s) for s in ("EGFR", "ERBB3", "MET")[:n])
    with pytest.raises(ValidationError) as info:
        Asset(code="X", sponsor="Y", modality=Modality.BISPECIFIC_ADC, targets=targets)
    assert _problem_paths(info.value) == ["targets"]
    assert "exactly two targets" in str(info.value)


def test_evolve_validates_too() -> None:
    """attrs.evolve runs the same checks as construction."""
    js212 = biopipe.example("js212")
    with pytest.raises(ValidationError):
        attrs.evolve(js212, targets=(*js212.targets, Target(symbol="MET")))
    with pytest.raises(ValidationError) as info:
        attrs.evolve(js212.targets[0], uniprot_id="P0053")
    assert _problem_paths(info.value) == ["uniprot_id"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("uniprot_id", "p00533"),
        ("uniprot_id", "P005331"),
        ("hgnc_id", "3236"),
        ("hgnc_id", "HGNC:0"),
        ("ensembl_id", "ENSG123"),
        ("ensembl_id", "ENST00000275493"),
        ("symbol", "egfr"),
        ("symbol", ""),
    ],
)
def test_target_identifier_formats(field: str, value: str) -> None:
    """Malformed HGNC, UniProt, Ensembl ids and symbols are rejected naming the field."""
    kwargs: dict[str, Any] = {"symbol": "EGFR", field: value}
    with pytest.raises(ValidationError) as info:
        Target(**kwargs)
    assert _problem_paths(info.value) == [field]


@pytest.mark.parametrize(
    ("value", "registry"),
    [
        ("NCT05288205", Registry.NCT),
        ("CTR20250123", Registry.CTR),
        ("ChiCTR2000029308", Registry.CHICTR),
        ("ChiCTR-IOR-17013210", Registry.CHICTR),
        ("2023-503456-12-00", Registry.EU_CT),
        ("2015-001234-12", Registry.EUDRACT),
        ("jRCT2031210123", Registry.JRCT),
        ("jRCTs031180001", Registry.JRCT),
        ("ISRCTN12345678", Registry.ISRCTN),
    ],
)
def test_registry_ids_are_recognised(value: str, registry: Registry) -> None:
    """Each registry's format is recognised from the id alone."""
    assert RegistryId(value).registry is registry


@pytest.mark.parametrize("value", ["NCT123", "nct05288205", "NCT052882051", "CTR2025", "ChiCTR123", "jRCT123", ""])
def test_malformed_registry_ids_are_rejected(value: str) -> None:
    """NCT123 and friends name the bad value and the accepted formats."""
    with pytest.raises(InvalidIdentifier) as info:
        RegistryId(value)
    assert info.value.value == value
    assert "NCT05288205" in str(info.value)


def test_a_trial_end_is_not_before_its_start_when_both_are_actual() -> None:
    """Actual completion before actual start is an error; estimated dates are forecasts and may be stale."""
    start = FactDate(PartialDate(2025, 6))
    with pytest.raises(ValidationError) as info:
        Trial(title="t", status=TrialStatus.COMPLETED, start=start, completion=FactDate(PartialDate(2025, 5)))
    assert _problem_paths(info.value) == ["completion"]
    ok = Trial(
        title="t",
        status=TrialStatus.RECRUITING,
        start=start,
        completion=FactDate(PartialDate(2025, 5), DateBasis.ESTIMATED),
    )
    assert ok.completion is not None


def test_same_month_start_and_end_are_consistent() -> None:
    """A start and end within the same month do not contradict each other."""
    same = FactDate(PartialDate(2025, 6))
    assert Trial(title="t", status=TrialStatus.COMPLETED, start=same, completion=same).start == same


def test_designation_events_carry_a_designation() -> None:
    """designation_granted needs a Designation; other kinds must not have one."""
    date = FactDate(PartialDate(2025))
    with pytest.raises(ValidationError):
        RegulatoryEvent(agency=biopipe.Agency.FDA, kind=EventKind.DESIGNATION_GRANTED, date=date)
    with pytest.raises(ValidationError):
        RegulatoryEvent(
            agency=biopipe.Agency.FDA,
            kind=EventKind.IND_CLEARED,
            date=date,
            designation=biopipe.Designation.FAST_TRACK,
        )


def test_combination_partners_need_combination_therapy() -> None:
    """Partners are named only when the design is combination therapy."""
    with pytest.raises(ValidationError):
        TrialDesign(combination_partners=("toripalimab",))
    design = TrialDesign(therapy=biopipe.TherapyMode.COMBINATION, combination_partners=("toripalimab",))
    assert design.combination_partners == ("toripalimab",)


def test_wrong_types_are_rejected_at_construction() -> None:
    """A list where a tuple belongs, or a code string where an enum belongs, is an error."""
    with pytest.raises(ValidationError):
        Trial(title="t", status=cast("Any", "recruiting"))
    with pytest.raises(ValidationError):
        Trial(title="t", status=TrialStatus.RECRUITING, countries=cast("Any", ["CN"]))
    with pytest.raises(ValidationError) as info:
        Trial(title="t", status=TrialStatus.RECRUITING, countries=("CN", "XX", "CN"))
    assert _problem_paths(info.value) == ["countries[1]"]


def test_distinct_codes_in_a_portfolio() -> None:
    """Two assets with one code are an error at the second."""
    js212 = biopipe.example("js212")
    with pytest.raises(ValidationError) as info:
        biopipe.Portfolio(assets=(js212, js212))
    assert _problem_paths(info.value) == ["assets[1].code"]


@given(bst.assets())
def test_assets_are_immutable_and_hashable(asset: Asset) -> None:
    """Frozen instances hash consistently with equality."""
    assert hash(asset) == hash(attrs.evolve(asset))
    field = "code"
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(asset, field, "other")


def test_target_aliases_resolve() -> None:
    """HER3 finds ERBB3, case-insensitively."""
    js212 = biopipe.example("js212")
    assert [t.symbol for t in js212.targets_named("her3")] == ["ERBB3"]
    assert js212.targets_named("MET") == ()


@pytest.mark.parametrize("bad", ["Junshi \ud800", "\udfff", "ok\udc80ok"])
def test_lone_surrogates_are_rejected_because_no_encoder_can_write_them(bad: str) -> None:
    """A string that cannot be written as UTF-8 fails at its field instead of later in dump."""
    js212 = biopipe.example("js212")
    with pytest.raises(biopipe.BiopipeError, match="sponsor"):
        attrs.evolve(js212, sponsor=bad)
    with pytest.raises(biopipe.BiopipeError, match="url"):
        attrs.evolve(js212.sources[0], url="https://example.org/" + bad)


def test_loading_an_escaped_lone_surrogate_is_a_validation_error() -> None:
    """JSON can spell a lone surrogate as an escape; loading it fails at the field (or, with orjson, the parse)."""
    text = biopipe.dumps(biopipe.example("js212")).replace('"Junshi Biosciences"', '"Junshi \\ud800"', 1)
    with pytest.raises(biopipe.ValidationError, match=r"assets\[0\]\.sponsor|surrogate"):
        biopipe.loads(text)
