"""Draw the timeline of a portfolio of 15 trials or more: the shared ClinicalTrials.gov records plus JS212.

Writes docs/_static/ctgov-portfolio.{png,svg,pdf} (all three are committed). Run from the
repository root with the reference data beside it::

    python scripts/plot_ctgov_portfolio.py [--ctgov ../shared/refdata/ctgov] [--out docs/_static]

Each ClinicalTrials.gov record becomes an asset of its own, coded by its NCT number (the records
are of unrelated products), so every trial gets its row; JS212 adds its regulatory events. The
picture has a today line on 2026-01-15 and, right of it, the catalysts of the year after it
(`biopipe.review.catalysts`: here the trials' estimated primary completions), as
``biopipe timeline --plot --today`` draws them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import biopipe
from biopipe import Asset, Modality, Portfolio
from biopipe.interop.ctgov import import_files
from biopipe.plot import plot_timeline
from biopipe.review import catalysts

TODAY = dt.date(2026, 1, 15)


def portfolio(ctgov: Path) -> Portfolio:
    """JS212 and one asset per ClinicalTrials.gov record in *ctgov*."""
    report = import_files([ctgov])
    if report.failed:
        raise SystemExit(report.render("text"))
    assets = [biopipe.example("js212")]
    for record in report.records:
        trial = record.trial
        sponsor = trial.sponsor.name if trial.sponsor is not None else "unknown sponsor"
        assets.append(Asset(code=record.key, sponsor=sponsor, modality=Modality.OTHER, trials=(trial,)))
    return Portfolio(assets=tuple(assets))


def main(argv: list[str] | None = None) -> int:
    """Write the pictures; print what was written."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ctgov", type=Path, default=Path("../shared/refdata/ctgov"))
    parser.add_argument("--out", type=Path, default=Path("docs/_static"))
    args = parser.parse_args(argv)
    found = portfolio(args.ctgov)
    trials = sum(len(a.trials) for a in found)
    title = f"{trials} trials: ClinicalTrials.gov records and JS212"
    ahead = catalysts(found, TODAY, TODAY + dt.timedelta(days=366), as_of=TODAY).ranges()
    for suffix in ("png", "svg", "pdf"):
        target = args.out / f"ctgov-portfolio.{suffix}"
        data = plot_timeline(found, target, title=title, today=TODAY, ranges=ahead, dpi=80)
        print(f"{target}: {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
