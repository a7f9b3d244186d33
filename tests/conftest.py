import contextlib
import importlib.util
import io
from pathlib import Path

import numpy as np
import pytest
import torch

from imblearn_pgan.suites import main

#: Settings small enough for 2 CPU cores; the behaviour under test is the same.
FAST = dict(n_iter=8, autoencoder_steps=8, batch_size=32, hidden_dim=16, latent_dim=4,
            pseudo_dim=8, device="cpu")


def make_pgan(**settings):
    """PolarityGANSampler from flat settings: those of ``gan_params`` by name too."""
    from imblearn_pgan.sampler import PolarityGANSampler, split_settings

    return PolarityGANSampler(**split_settings(settings))


cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")


def benchmark_script(name):
    """A script of ``benchmarks/`` (``name`` without ``.py``), imported as a module."""
    path = Path(__file__).resolve().parents[1] / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True, scope="session")
def one_torch_thread():
    """Tiny networks run fastest on one thread, and far faster on busy cores."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture
def imbalanced():
    """Three well-separated 2-D blobs of 60, 20 and 8 rows."""
    rng = np.random.default_rng(0)
    sizes, centres = (60, 20, 8), np.array([[0.0, 0.0], [4.0, 0.0], [0.0, 4.0]])
    X = np.concatenate([c + rng.normal(size=(n, 2)) for n, c in zip(sizes, centres)])
    y = np.repeat([0, 1, 2], sizes)
    return X, y


def _run_cli(args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(args)
        except SystemExit as exc:
            status = exc.code
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="session")
def run_cli():
    """``pgan-benchmark ARGS`` in-process: exit status, stdout and stderr (argparse exits too)."""
    return _run_cli


def quick_suite_run(run_cli, suite, methods, classifiers, out):
    """``pgan-benchmark --suite SUITE --quick`` (GANs at 5 steps) into ``out``: its
    stdout and its fold table."""
    import pandas as pd

    status, stdout, stderr = run_cli(
        ["--suite", suite, "--quick", "--n-iter", "5", "--methods", methods, "--classifiers",
         classifiers, "--out", str(out), "--quiet"])
    assert status == 0, stderr
    return stdout, pd.read_csv(out / f"{suite}_folds.csv")


def python_output(code, timeout=600):
    """The stdout of ``python -c code`` in a fresh process (its modules its own)."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=timeout)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


def assert_failed_rows_count_as_none(folds, metrics):
    """A fold suite's "broken" row failed on every fold and scored as no resampling."""
    broken, none = (folds[folds["method"] == m].reset_index(drop=True)
                    for m in ("broken", "none"))
    assert broken["status"].str.startswith("failed: RuntimeError: boom").all()
    for metric in metrics:
        np.testing.assert_array_equal(broken[metric], none[metric])


def in_convex_hull(points, vertices, tol=1e-7):
    """NNLS on [V^T; 1] w = [p; 1], w >= 0: zero residual iff p is in the hull."""
    from scipy.optimize import nnls

    scale = np.abs(vertices).max() + 1.0
    A = np.vstack([vertices.T / scale, np.ones(len(vertices))])
    return np.array([nnls(A, np.r_[p / scale, 1.0])[1] < tol for p in points])
