"""HGNC gene symbols: aliases resolve, unknown symbols are refused with a suggestion, the script rebuilds the index."""

from __future__ import annotations

import gzip
import importlib.resources
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings

import biopipe
from biopipe import Asset, Modality, Target, ValidationError
from biopipe.model import GENES_RELEASE, Gene, UnknownCode, _genes, approved_symbols, gene, resolve_symbol
from biopipe.model._validate import pattern as pattern_check
from biopipe.query import has_target, select
from biopipe.testing import strategies

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = Path(__file__).parent / "data" / "hgnc_sample.tsv"


def _script() -> ModuleType:
    """scripts/build_hgnc_index.py, imported from its file."""
    spec = importlib.util.spec_from_file_location("build_hgnc_index", ROOT / "scripts" / "build_hgnc_index.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _shipped() -> str:
    data = importlib.resources.files("biopipe.model").joinpath("data/hgnc.tsv.gz").read_bytes()
    return gzip.decompress(data).decode("utf-8")


def _asset(target: Target) -> Asset:
    return Asset(code="X-1", sponsor="Acme", modality=Modality.ADC, targets=(target,))


# --- what issue 11 asks ---------------------------------------------------------------------------------------


def test_has_target_her2_finds_a_target_written_as_erbb2_with_no_alias() -> None:
    asset = _asset(Target(symbol="ERBB2"))
    assert asset.targets[0].aliases == ()
    assert select([asset], has_target("HER2")) == (asset,)
    assert has_target("her2")(asset)
    assert has_target("CD340")(asset)  # another HGNC alias
    assert not has_target("NEU")(asset)  # an alias of ERBB2, but first a previous symbol of NEU1
    assert has_target("NGL")(asset)  # a previous symbol
    assert not has_target("HER3")(asset)


def test_has_target_her2_finds_erbb2_in_a_loaded_document() -> None:
    doc = {
        "format": "biopipe",
        "version": 1,
        "assets": [{"code": "X-1", "sponsor": "Acme", "modality": "adc", "targets": [{"symbol": "ERBB2"}]}],
    }
    portfolio = biopipe.loads(json.dumps(doc))
    assert [a.code for a in select(portfolio, has_target("HER2"))] == ["X-1"]


@pytest.mark.parametrize(
    ("name", "symbol"),
    [("HER2", "ERBB2"), ("HER3", "ERBB3"), ("TROP2", "TACSTD2"), ("trop2", "TACSTD2"), ("ERBB2", "ERBB2"),
     ("NGL", "ERBB2"), ("PD-L1", "CD274"), ("BCMA", "TNFRSF17")],
)  # fmt: skip
def test_names_resolve_to_the_approved_symbol(name: str, symbol: str) -> None:
    assert resolve_symbol(name) == symbol
    found = gene(name)
    assert found is not None
    assert found.symbol == symbol


def test_an_alias_as_target_symbol_is_an_error_naming_the_approved_symbol() -> None:
    with pytest.raises(ValidationError) as raised:
        Target(symbol="TROP2")
    (problem,) = raised.value.problems
    assert problem.path == "symbol"
    assert "TACSTD2" in problem.expected
    assert "alias" in problem.expected


def test_the_loader_names_the_approved_symbol_at_the_symbol_path() -> None:
    doc = {
        "format": "biopipe",
        "version": 1,
        "assets": [{"code": "X-1", "sponsor": "Acme", "modality": "adc", "targets": [{"symbol": "TROP2"}]}],
    }
    with pytest.raises(ValidationError) as raised:
        biopipe.loads(json.dumps(doc))
    (problem,) = raised.value.problems
    assert problem.path == "assets[0].targets[0].symbol"
    assert "use the approved symbol 'TACSTD2'" in problem.expected


def test_a_previous_symbol_as_target_symbol_is_an_error_naming_the_approved_symbol() -> None:
    with pytest.raises(ValidationError, match="'NGL' is a previous symbol of ERBB2"):
        Target(symbol="NGL")


def test_a_typo_suggests_the_symbol() -> None:
    with pytest.raises(UnknownCode, match="did you mean 'EGFR'") as raised:
        resolve_symbol("EGRF")
    assert raised.value.value == "EGRF"
    with pytest.raises(ValidationError, match="did you mean 'EGFR'"):
        Target(symbol="EGRF")
    assert gene("EGRF") is None


def test_a_symbol_in_the_wrong_case_is_refused_with_the_right_case() -> None:
    with pytest.raises(ValidationError, match="did you mean 'ERBB2'"):
        Target(symbol="Erbb2")


def test_a_name_like_no_gene_says_so() -> None:
    with pytest.raises(UnknownCode, match="no HGNC gene has a name like it"):
        resolve_symbol("QQQQQQQQQQQQ")
    with pytest.raises(ValidationError, match="expected an approved HGNC gene symbol such as 'ERBB3'"):
        Target(symbol="")


# --- precedence and ambiguity --------------------------------------------------------------------------------


def test_an_approved_symbol_wins_over_another_genes_alias() -> None:
    # ACAT1 is an approved symbol and also an alias of SOAT1.
    assert "ACAT1" in _genes._gene("SOAT1").aliases
    assert resolve_symbol("ACAT1") == "ACAT1"
    assert Target(symbol="ACAT1").matches("ACAT1")
    assert not Target(symbol="SOAT1").matches("ACAT1")
    assert Target(symbol="SOAT1", aliases=("ACAT1",)).matches("ACAT1")  # the record's aliases still count


def test_a_previous_symbol_wins_over_another_genes_alias() -> None:
    # ACAT is a previous symbol of ACAT1 and an alias of SOAT1.
    assert resolve_symbol("ACAT") == "ACAT1"


def test_an_alias_of_several_genes_is_ambiguous_and_matches_each() -> None:
    # ACC1 is an alias of ACACA and of BCL2A1.
    with pytest.raises(UnknownCode, match=r"'ACC1' is an alias of 2 genes: .*'ACACA' or 'BCL2A1'"):
        resolve_symbol("ACC1")
    assert gene("ACC1") is None
    assert _genes.symbols_named("acc1") == ("ACACA", "BCL2A1")
    assert Target(symbol="ACACA").matches("ACC1")
    assert Target(symbol="BCL2A1").matches("ACC1")


def test_record_aliases_still_match() -> None:
    target = Target(symbol="ERBB3", aliases=("Patritumab target",))
    assert target.matches("patritumab TARGET")
    assert target.matches("HER3")
    assert not target.matches("HER2")


# --- the index -----------------------------------------------------------------------------------------------


def test_the_release_date_is_the_index_header() -> None:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", GENES_RELEASE)
    header = _genes._index().header
    assert header["release"] == GENES_RELEASE
    assert biopipe.model.GENES_RELEASE == GENES_RELEASE
    assert "CC0" in header["licence"]


def test_the_index_is_small_and_holds_the_approved_genes() -> None:
    data = importlib.resources.files("biopipe.model").joinpath("data/hgnc.tsv.gz").read_bytes()
    assert len(data) < 1_000_000
    symbols = approved_symbols()
    assert len(symbols) == len(set(symbols)) > 40_000
    assert {"ERBB2", "ERBB3", "TACSTD2", "EGFR", "CD274", "MIR21", "MALAT1"} <= set(symbols)


def test_every_approved_symbol_fits_the_schema_pattern() -> None:
    """So the JSON Schema's pattern accepts every symbol the loader accepts (the loader is only stricter)."""
    pattern = re.compile(_genes.SYMBOL_PATTERN)
    assert all(pattern.fullmatch(s) for s in approved_symbols())
    schema = biopipe.document.json_schema()["$defs"]["Target"]["properties"]["symbol"]
    assert schema == {"type": "string", **pattern_check(_genes.SYMBOL_PATTERN, "").schema}


def test_a_gene_lists_its_names() -> None:
    erbb2 = gene("ERBB2")
    assert erbb2 == Gene(
        symbol="ERBB2",
        hgnc_id="HGNC:3430",
        locus_type="gene with protein product",
        previous=("NGL",),
        aliases=("NEU", "HER-2", "CD340", "HER2", "c-ERB2", "c-ERB-2", "MLN-19", "p185(erbB2)"),
    )
    assert erbb2.names[:2] == ("ERBB2", "NGL")


def test_import_biopipe_does_not_read_the_index() -> None:
    code = (
        "import biopipe; from biopipe.model import _genes; "
        "before = _genes._index.cache_info().currsize; biopipe.Target(symbol='ERBB2'); "
        "print(before, _genes._index.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0", "1"]


# --- the regeneration script ---------------------------------------------------------------------------------


def _rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith("#")]


def test_the_script_reproduces_the_shipped_index_rows_from_a_sample() -> None:
    script = _script()
    built: str = script.build_index(SAMPLE.read_text("utf-8").splitlines(True), source="sample", release="2024-07-23")
    header, *rows = _rows(built)
    shipped_header, *shipped = _rows(_shipped())
    assert header == shipped_header == "\t".join(script.COLUMNS)
    assert [r.split("\t")[1] for r in rows] == ["A2MP1", "ACACA", "ACAT1", "BCL2A1", "EGFR", "ERBB2", "ERBB3",
                                                "SOAT1", "TACSTD2"]  # fmt: skip
    # withdrawn entries and symbols outside the model's pattern (HOXA@) are left out
    assert set(rows) <= set(shipped)
    assert "# release: 2024-07-23" in built
    assert "# source: sample" in built


def test_the_script_reads_the_complete_set_layout_too() -> None:
    script = _script()
    complete = (
        "hgnc_id\tsymbol\tname\tlocus_group\tlocus_type\tstatus\talias_symbol\tprev_symbol\n"
        "HGNC:3430\tERBB2\terb-b2 receptor tyrosine kinase 2\tprotein-coding gene\tgene with protein product\t"
        'Approved\t"NEU|HER-2|CD340|HER2|c-ERB2|c-ERB-2|MLN-19|p185(erbB2)"\tNGL\n'
        "HGNC:9\tA2MR\tsymbol withdrawn\tother\tunknown\tSymbol Withdrawn\t\t\n"
    )
    built: str = script.build_index(complete.splitlines(True), source="s", release="2025-01-01")
    (erbb2,) = _rows(built)[1:]
    assert erbb2 in _rows(_shipped())


def test_the_script_writes_the_same_bytes_for_the_same_input(tmp_path: Path) -> None:
    script = _script()
    outputs = []
    for name in ("a.tsv.gz", "b.tsv.gz"):
        out = tmp_path / name
        assert script.main([str(SAMPLE), "--release", "2024-07-23", "--source", "sample", "-o", str(out)]) == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    text = gzip.decompress(outputs[0]).decode("utf-8")
    assert _genes._name_map(_genes._parse(text))["her2"] == (_genes._ALIAS, ("ERBB2",))


def test_the_script_refuses_a_table_that_is_not_hgnc() -> None:
    with pytest.raises(ValueError, match="not an HGNC table"):
        _script().build_index(["a\tb\n", "1\t2\n"], source="x", release="2024-01-01")


# --- strategies ----------------------------------------------------------------------------------------------


@settings(max_examples=25)
@given(strategies.targets())
def test_generated_targets_have_approved_symbols(target: Target) -> None:
    assert resolve_symbol(target.symbol) == target.symbol
    assert target.matches(target.symbol)
