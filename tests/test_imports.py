"""What a plain command imports: the fast paths never load openpyxl or numpy.

Importing openpyxl (and numpy through it) costs more than reading and checking a form, so the
direct reader, the checks and the start-up commands do without them; only a file that needs
the openpyxl fallback, the importer and the writers load it. A behaviour test, not a timing.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from perfeval.example_data import zhengning_2023
from perfeval.workbook.template import build_workbook

HEAVY = ("openpyxl", "numpy", "docx", "lxml", "PIL", "xlwings")

_PROBE = """
import atexit, json, sys
_target = sys.argv[1]
def _dump():
    with open(_target, "w") as fh:
        json.dump(sorted({m.split(".")[0] for m in sys.modules}), fh)
atexit.register(_dump)
sys.argv = ["perfeval", *sys.argv[3:]]
entry = sys.argv and __import__(ENTRY, fromlist=["main"])
entry.main()
"""


def loaded_by(tmp_path, *argv: str, entry: str = "perfeval.cli") -> set[str]:
    dump = tmp_path / "modules.json"
    code = _PROBE.replace("ENTRY", repr(entry))
    subprocess.run([sys.executable, "-c", code, str(dump), "-", *argv], capture_output=True, timeout=120)
    return set(json.loads(dump.read_text()))


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    p = tmp_path_factory.mktemp("imports") / "表.xlsx"
    p.write_bytes(build_workbook(zhengning_2023()))
    return p


@pytest.mark.parametrize("argv", [["--version"], ["explain", "PE101"], ["rules"], ["profiles"]],
                         ids=["version", "explain", "rules", "profiles"])
def test_start_up_commands_import_no_heavy_library(tmp_path, argv):
    assert loaded_by(tmp_path, *argv) & set(HEAVY) == set()


def test_the_installed_command_answers_version_before_importing_the_cli(tmp_path):
    modules = loaded_by(tmp_path, "--version", entry="perfeval.__main__")
    assert "perfeval" in modules
    assert modules & {"typer", "click", "rich", "pydantic", *HEAVY} == set()


def test_the_installed_command_runs_the_cli_for_everything_else(tmp_path):
    assert "typer" in loaded_by(tmp_path, "rules", entry="perfeval.__main__")


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_validating_a_template_reads_it_without_openpyxl_or_numpy(tmp_path, example, fmt):
    modules = loaded_by(tmp_path, "validate", str(example), "--format", fmt)
    assert "perfeval" in modules  # the probe saw the run
    assert modules & set(HEAVY) == set()


def test_the_openpyxl_fallback_still_loads_openpyxl_when_it_is_needed(tmp_path, example):
    # The probe is not blind: annotating writes through openpyxl.
    modules = loaded_by(tmp_path, "validate", str(example), "--annotate", str(tmp_path / "a.xlsx"))
    assert "openpyxl" in modules
