"""Imports run config → monitoring → results → activities → partnership: the results app never
imports monitoring or config, and the apps below it never import it."""

from pathlib import Path

from tests.test_rooms import ROOT, _imported_roots


def _offenders(package: str, forbidden: set[str]) -> dict[str, list[str]]:
    return {
        str(path.relative_to(ROOT)): sorted(_imported_roots(path) & forbidden)
        for path in Path(ROOT / package).rglob("*.py")
        if _imported_roots(path) & forbidden
    }


def test_results_imports_neither_monitoring_nor_config():
    assert _offenders("results", {"monitoring", "config"}) == {}


def test_activities_and_partnership_never_import_results():
    assert _offenders("activities", {"results"}) == {}
    assert _offenders("partnership", {"results"}) == {}
