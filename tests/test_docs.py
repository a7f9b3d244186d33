"""The documentation: light checks of its sources, then the strict Sphinx build.

The docstrings' examples run as doctests, so that they cannot rot. The build
(``python -m sphinx -W --keep-going -b html docs ...``) executes the gallery
examples; it is skipped where the ``docs`` extra is not installed, and it is the
suite's one ``slow`` test (about ten minutes on two cores): left out by default
(setup.cfg), ``python -m pytest -m slow`` runs it.
"""

import ast
import doctest
import importlib
import importlib.util
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import imblearn_pgan

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXAMPLES = sorted((ROOT / "examples").glob("plot_*.py"))


#: Every module of the package whose docstrings hold examples.
DOCTEST_MODULES = sorted(
    info.name for info in pkgutil.walk_packages(imblearn_pgan.__path__, "imblearn_pgan.")
    if ">>> " in Path(importlib.util.find_spec(info.name).origin).read_text(encoding="utf-8")
)


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


def test_doctests_were_found():
    assert {"imblearn_pgan.sampler", "imblearn_pgan.uncertainty"} <= set(DOCTEST_MODULES)


@pytest.mark.parametrize("module_name", DOCTEST_MODULES)
def test_docstring_examples_run(module_name):
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
                             report=False, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed; run " \
        f"python -m pytest --doctest-modules {module.__file__} to see them"


@pytest.mark.slow
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
