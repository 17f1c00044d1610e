"""`bench` uses the project and the project never uses `bench`; its settings bring the command."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


def bench_imports(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [name for name in names if name == "bench" or name.startswith("bench.")]
    return found


def test_checker_spots_bench_imports():
    assert bench_imports("from bench.archive import archive_generate")
    assert bench_imports("def f():\n    import bench.views\n")
    assert bench_imports("import benchmark\nfrom journal import bench") == []


@pytest.mark.parametrize("package", ["journal", "summits"])
def test_the_site_never_imports_bench(package):
    offenders = {
        str(path.relative_to(PROJECT)): imports
        for path in sorted((PROJECT / package).rglob("*.py"))
        if (imports := bench_imports(path.read_text()))
    }
    assert offenders == {}


def manage(tmp_path, *arguments: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT,
        env={**environment, "DJANGO_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
    )


@pytest.mark.external
def test_generate_demo_data_comes_with_the_benchmark_settings(tmp_path):
    result = manage(tmp_path, "help", "generate_demo_data", "--settings", "bench.settings")
    assert result.returncode == 0, result.stderr
    assert "--articles" in result.stdout

    site = manage(tmp_path, "help", "generate_demo_data")
    assert site.returncode != 0
    assert "Unknown command" in site.stderr
