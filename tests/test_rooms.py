"""The product's packages stand without the developer tools: none of their modules imports
devtools, the tests' helpers or `requests` (a benchmark's HTTP client, not a product dependency),
and the product's settings do not install devtools' commands."""

import ast
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = (
    "activities",
    "config",
    "exchange",
    "geography",
    "monitoring",
    "notifications",
    "partnership",
    "publication",
    "results",
)
FOREIGN = ("devtools", "tests", "requests")


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_product_module_imports_the_developer_tools():
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_roots(path) & set(FOREIGN))
        for package in PRODUCT
        for path in (ROOT / package).rglob("*.py")
        if _imported_roots(path) & set(FOREIGN)
    }
    assert offenders == {}


def test_the_product_settings_do_not_install_the_benchmarks():
    assert "devtools" not in settings.INSTALLED_APPS
    commands = get_commands()
    assert not {"bench_pages", "bench_monitoring", "generate_portfolio"} & set(commands)


# What each app may import (README, "Where the code lives"): imports run one way, from the
# composition root down to partnership.
MAY_IMPORT = {
    "config": set(PRODUCT) - {"config"},
    "publication": {
        "geography",
        "monitoring",
        "notifications",
        "results",
        "activities",
        "partnership",
    },
    "exchange": {"geography", "activities", "partnership"},
    "geography": {"monitoring", "notifications", "results", "activities", "partnership"},
    "monitoring": {"notifications", "results", "activities", "partnership"},
    "notifications": {"activities", "partnership"},
    "results": {"activities", "partnership"},
    "activities": {"partnership"},
    "partnership": set(),
}


def test_imports_run_one_way():
    offenders = {}
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue  # a migration names the apps its models depend on
            wrong = (_imported_roots(path) & set(PRODUCT)) - MAY_IMPORT[package] - {package}
            if wrong:
                offenders[str(path.relative_to(ROOT))] = sorted(wrong)
    assert offenders == {}
