"""The documentation: light checks of its sources, then the strict Sphinx build.

The build (``python -m sphinx -W --keep-going -b html docs ...``) executes the
gallery examples; it is skipped where the ``docs`` extra is not installed.
"""

import ast
import importlib
import subprocess
import sys
import importlib.util
import inspect
from pathlib import Path

import pytest

import imblearn_pgan

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXAMPLES = sorted((ROOT / "examples").glob("plot_*.py"))


@pytest.fixture(scope="module")
def conf():
    """docs/conf.py as a module (importing it has no side effects)."""
    spec = importlib.util.spec_from_file_location("imblearn_pgan_docs_conf", DOCS / "conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_api_reference_lists_every_public_name(conf):
    text, stubs = conf._api_entries()
    for name in imblearn_pgan.__all__:
        obj = getattr(imblearn_pgan, name)
        if name.startswith("__") or inspect.ismodule(obj):
            continue
        assert f"imblearn_pgan.{name}.rst" in stubs, name
        assert f"   {name}\n" in text, name


def test_api_reference_documents_each_object_once(conf):
    _, stubs = conf._api_entries()
    seen = {}
    for stub in sorted(stubs):
        module_name, _, name = stub[: -len(".rst")].rpartition(".")
        obj = getattr(importlib.import_module(module_name), name)
        assert id(obj) not in seen, f"{stub} and {seen[id(obj)]} document the same object"
        seen[id(obj)] = stub


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_gallery_example_has_a_title(path):
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert docstring, f"{path.name}: sphinx-gallery needs a module docstring"
    lines = [line for line in docstring.splitlines() if line.strip()]
    # A reST title: text underlined with '=' (and optionally overlined).
    title_at = 1 if set(lines[0]) == {"="} else 0
    assert set(lines[title_at + 1]) == {"="}, f"{path.name}: no '=' title in the docstring"


def test_there_are_at_least_five_examples():
    assert len(EXAMPLES) >= 5


def test_sphinx_build_passes_with_warnings_as_errors(tmp_path):
    pytest.importorskip("sphinx")
    pytest.importorskip("sphinx_gallery")
    out = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         "-d", str(tmp_path / "doctrees"), str(DOCS), str(tmp_path / "html")],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr[-5000:]
    assert (tmp_path / "html" / "auto_examples" / "index.html").exists()
