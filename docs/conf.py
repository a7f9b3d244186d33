"""Sphinx configuration of the imblearn-pgan documentation.

Build (warnings are errors, as in CI)::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

The build is offline: intersphinx fetches nothing unless
``IMBLEARN_PGAN_DOCS_INTERSPHINX=1`` is set. The API reference is generated
from ``__all__`` at build time (see ``write_api_entries`` below), so samplers
added to the package appear without editing this file.

Importing this file has no side effects (tests/test_docs.py imports it); what
the build changes happens in ``setup``.
"""

import importlib
import inspect
import os
import re
import sys
from pathlib import Path

import imblearn_pgan

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent

# -- Project -----------------------------------------------------------------

project = "imblearn-pgan"
author = "imblearn-pgan developers"
copyright = "imblearn-pgan developers"
release = imblearn_pgan.__version__
version = ".".join(release.split(".")[:2])

# -- General -----------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
templates_path = ["_templates"]
API_ENTRIES = "_api_entries.rst"  # written below, included by api.rst
exclude_patterns = [
    "_build",
    "Thumbs.db",
    ".DS_Store",
    API_ENTRIES,
    # Included by benchmarking.rst, not a page of its own.
    "benchmarks.md",
]
default_role = "literal"
# IMBLEARN_PGAN_DOCS_NITPICKY=1 checks that every cross-reference to this
# package resolves (off by default: docstrings may name undocumented helpers).
nitpicky = os.environ.get("IMBLEARN_PGAN_DOCS_NITPICKY") == "1"
nitpick_ignore_regex = [
    # Other projects' objects: unresolved without intersphinx.
    (r"py:.*", r"(numpy|scipy|pandas|matplotlib|sklearn|imblearn|torch|torchvision)(\..*)?"),
    (r"py:.*", r"Module|ndarray|array-like|callable|path-like|optional"),
]

# -- autodoc / autosummary / numpydoc ---------------------------------------

autosummary_generate = [API_ENTRIES]
autosummary_imported_members = False
autodoc_typehints = "none"
autodoc_member_order = "bysource"

numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False

# -- intersphinx (off by default: the build must pass offline) ---------------

if os.environ.get("IMBLEARN_PGAN_DOCS_INTERSPHINX") == "1":
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "numpy": ("https://numpy.org/doc/stable/", None),
        "sklearn": ("https://scikit-learn.org/stable/", None),
        "imblearn": ("https://imbalanced-learn.org/stable/", None),
        "torch": ("https://docs.pytorch.org/docs/stable/", None),
    }
else:
    intersphinx_mapping = {}
intersphinx_disabled_reftypes = ["*"] if not intersphinx_mapping else []

# -- MyST --------------------------------------------------------------------

myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3

# -- sphinx-gallery ----------------------------------------------------------

sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    # Execute plot_*.py; any other script in examples/ (e.g. quickstart.py)
    # is left out of the gallery altogether.
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"(?:^|[\\/])(?!plot_)[^\\/]*\.py$",
    "within_subsection_order": "FileNameSortKey",
    "doc_module": ("imblearn_pgan",),
    "backreferences_dir": "generated/backreferences",
    "reference_url": {"imblearn_pgan": None},
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "remove_config_comments": True,
    "show_memory": False,
    "min_reported_time": 1,
    "plot_gallery": "True",
}

# -- HTML --------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"imblearn-pgan {release}"
html_static_path = []
html_show_sourcelink = False
html_theme_options = {
    "github_url": "https://github.com/imblearn-pgan/imblearn-pgan",
    "navbar_align": "left",
    "show_toc_level": 2,
    # sg_download_links renders nothing outside the gallery.
    "secondary_sidebar_items": ["page-toc", "sg_download_links"],
    "navigation_with_keys": False,
}
html_context = {"default_mode": "light"}
html_sidebars = {"index": [], "install": [], "benchmarking": []}


# -- API entries from __all__ ------------------------------------------------

#: Sub-modules documented after the top-level names, in this order, with a
#: title. Modules that do not exist (yet) are skipped; a module that exists but
#: fails to import stops the build.
API_MODULES = [
    ("imblearn_pgan.baselines", "GAN baselines"),
    ("imblearn_pgan.images.cnn", "The small CNN of the image classifiers"),
    ("imblearn_pgan.images.losses", "Long-tail losses"),
    ("imblearn_pgan.uncertainty", "Uncertainty measures (eq. 7–10)"),
    ("imblearn_pgan.sampler", "P-GAN's settings"),
    ("imblearn_pgan.datasets", "Data sets"),
    ("imblearn_pgan.suites", "Benchmark"),
    ("imblearn_pgan.suites.stats", "Benchmark statistics (ranks, Wilcoxon)"),
]

#: Building blocks that the user guide maps the paper's equations to. They are
#: not a stable API, but documenting them lets the guide link to their code.
INTERNALS = [
    "imblearn_pgan.polarity.PolarityGAN",
    "imblearn_pgan.networks.ConvexHullGenerator",
    "imblearn_pgan.networks.PseudoSpaceMap",
    "imblearn_pgan.networks.AnchorAttention",
    "imblearn_pgan.networks.Encoder",
    "imblearn_pgan.networks.Autoencoder",
    "imblearn_pgan.networks.Critic",
    "imblearn_pgan.networks.Classifier",
    "imblearn_pgan._core.critic_terms",
    "imblearn_pgan._core.TrainingData",
    "imblearn_pgan._core.GANModel",
    "imblearn_pgan._core.train",
]


def _import_optional(name):
    """The module, or None if it (not one of its imports) does not exist."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and name.startswith(exc.name):
            return None
        raise


def _template(obj, internal=False):
    """The autosummary template for an object."""
    from sklearn.base import BaseEstimator

    if inspect.isclass(obj):
        if issubclass(obj, BaseException):
            return "exception.rst"
        if issubclass(obj, BaseEstimator):
            return "estimator.rst"
        return "internal_class.rst" if internal else "class.rst"
    if callable(obj):
        return "function.rst"
    return "data.rst"


def _public_names(module):
    names = getattr(module, "__all__", None)
    if names is None:
        return []
    return [n for n in names if not (n.startswith("__") and n.endswith("__"))]


TEMPLATES = ("estimator.rst", "class.rst", "internal_class.rst", "exception.rst", "function.rst",
             "data.rst")


def _autosummary(module_name, entries, stubs, internal=False):
    """An autosummary block per template, for ``(name, obj)`` pairs."""
    blocks = []
    by_template = {}
    for name, obj in entries:
        by_template.setdefault(_template(obj, internal), []).append(name)
        stubs.add(f"{module_name}.{name}.rst")
    for template in TEMPLATES:
        names = by_template.get(template)
        if not names:
            continue
        blocks.append(
            f".. currentmodule:: {module_name}\n\n"
            ".. autosummary::\n"
            "   :nosignatures:\n"
            "   :toctree: generated/\n"
            f"   :template: api/{template}\n\n" + "".join(f"   {n}\n" for n in names)
        )
    return "\n".join(blocks)


def _section(title, char, body):
    return f"{title}\n{char * len(title)}\n\n{body}\n"


def _is_sampler(obj):
    from imblearn.base import SamplerMixin

    return inspect.isclass(obj) and issubclass(obj, SamplerMixin)


def _api_entries():
    """The text of the API entries and the names of the stubs it needs."""
    documented = set()  # ids of objects already listed: no duplicate descriptions
    stubs = set()
    parts = []

    top = []
    modules_in_all = []
    for name in _public_names(imblearn_pgan):
        obj = getattr(imblearn_pgan, name)
        if inspect.ismodule(obj):
            modules_in_all.append(obj.__name__)
            continue
        top.append((name, obj))
        documented.add(id(obj))
    # P-GAN first, then the other samplers in the order of __all__.
    samplers = sorted(
        [(n, o) for n, o in top if _is_sampler(o)], key=lambda e: e[0] != "PolarityGANSampler"
    )
    errors = [(n, o) for n, o in top if _template(o) == "exception.rst"]
    other = [(n, o) for n, o in top if (n, o) not in samplers and (n, o) not in errors]
    for title, entries in [("Oversamplers", samplers), ("Other tools", other),
                           ("Exceptions", errors)]:
        if entries:
            parts.append(_section(title, "-", _autosummary("imblearn_pgan", entries, stubs)))

    listed = {name for name, _ in API_MODULES}
    extra = [(m, m) for m in modules_in_all if m not in listed]
    for module_name, title in API_MODULES + extra:
        module = _import_optional(module_name)
        if module is None:
            continue
        entries = []
        for name in _public_names(module):
            obj = getattr(module, name)
            if inspect.ismodule(obj) or id(obj) in documented:
                continue
            entries.append((name, obj))
            documented.add(id(obj))
        if not entries:  # nothing public, or all of it listed above
            continue
        body = f".. automodule:: {module_name}\n   :no-members:\n\n"
        body += _autosummary(module_name, entries, stubs)
        parts.append(_section(title, "-", body))

    internal = []
    for path in INTERNALS:
        module_name, _, name = path.rpartition(".")
        module = _import_optional(module_name)
        obj = getattr(module, name, None) if module is not None else None
        if obj is None or id(obj) in documented:
            continue
        internal.append((module_name, name, obj))
        documented.add(id(obj))
    if internal:
        body = (
            "The classes and functions that the :doc:`user guide <user_guide>` maps "
            "the paper's equations to. They are documented for reading the code; "
            "they are not a stable API.\n\n"
        )
        for module_name in dict.fromkeys(m for m, _, _ in internal):
            entries = [(n, o) for m, n, o in internal if m == module_name]
            body += _autosummary(module_name, entries, stubs, internal=True) + "\n"
        parts.append(_section("Internals", "-", body))

    header = ".. This file is written by docs/conf.py at build time. Do not edit.\n\n"
    return header + "\n".join(parts), stubs


def write_api_entries():
    """Write the API entries; delete stubs of names no longer listed."""
    text, stubs = _api_entries()
    path = DOCS / API_ENTRIES
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    # A name that moved (e.g. from a module to the top level) would otherwise
    # leave an orphan stub documenting the same object twice.
    for stub in (DOCS / "generated").glob("*.rst"):
        if stub.name not in stubs:
            stub.unlink()



def _on_config_inited(app, config):
    import matplotlib
    import torch

    matplotlib.use("Agg")
    # The gallery trains small networks; one thread avoids the heavy slowdown
    # of oversubscribed threads on small shared machines (CI has 2 cores).
    torch.set_num_threads(int(os.environ.get("IMBLEARN_PGAN_DOCS_THREADS", "1")))
    write_api_entries()
    _remove_stale_gallery_pages()


def _allow_equation_abbreviations():
    """Docstrings cite the paper as "eq. 7": not the end of a first sentence.

    Autosummary's tables show the first sentence of each docstring and split
    it at ". " unless the text ends with a known abbreviation.
    """
    from sphinx.ext import autosummary

    extra = ("Eq.", "eq.", "Fig.", "Alg.")
    known = autosummary.WELL_KNOWN_ABBREVIATIONS
    autosummary.WELL_KNOWN_ABBREVIATIONS = tuple(known) + tuple(a for a in extra if a not in known)


def _skip_metadata_request_methods(app, what, name, obj, skip, options):
    """Hide scikit-learn's generated ``set_{method}_request`` methods."""
    if re.fullmatch(r"set_\w+_request", name):
        return True
    return None


def _unlink_sklearn_labels(app, env, node, contnode):
    """Show :ref: and :term: of inherited scikit-learn docstrings as plain text.

    They name labels of scikit-learn's own documentation, unknown here unless
    intersphinx is on (its handler runs first). Any other unresolved label
    still fails the build.
    """
    if node.get("refdomain") == "std" and "docstring of sklearn." in (node.source or ""):
        return contnode
    return None


def _remove_stale_gallery_pages():
    """Drop generated pages of examples that no longer are in the gallery."""
    gallery = DOCS / "auto_examples"
    for page in gallery.glob("*.rst"):
        if page.stem in ("index", "sg_execution_times"):
            continue
        if not (page.stem.startswith("plot_") and (ROOT / "examples" / f"{page.stem}.py").exists()):
            page.unlink()


def _data_comment_from_submodule(app, what, name, obj, options, lines):
    """Document data that a package re-exports with the ``#:`` comment of its submodule.

    Autodoc reads ``#:`` comments only in the module that a name is documented
    under: ``imblearn_pgan.datasets.PAPER_COUNTS``, defined in
    ``imblearn_pgan.datasets.imbalance``, would get ``tuple``'s docstring.
    """
    from sphinx.errors import PycodeError
    from sphinx.pycode import ModuleAnalyzer

    if what != "data":
        return
    package, _, attr = name.rpartition(".")
    if ("", attr) in ModuleAnalyzer.for_module(package).find_attr_docs():
        return
    for module_name, module in list(sys.modules.items()):
        if module_name.startswith(f"{package}.") and getattr(module, attr, None) is obj:
            try:
                comments = ModuleAnalyzer.for_module(module_name).find_attr_docs()
            except PycodeError:  # no source
                continue
            if ("", attr) in comments:
                lines[:] = list(comments["", attr])
                return


def setup(app):
    _allow_equation_abbreviations()
    app.connect("autodoc-skip-member", _skip_metadata_request_methods)
    app.connect("autodoc-process-docstring", _data_comment_from_submodule)
    app.connect("missing-reference", _unlink_sklearn_labels)
    # Before autosummary reads API_ENTRIES (builder-inited).
    app.connect("config-inited", _on_config_inited)
