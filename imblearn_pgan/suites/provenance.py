"""What made a result: the ``meta.json`` that every benchmark run writes beside its files.

:func:`run_meta` builds it (command, git commit, versions, machine, device,
time, and the caller's settings); :func:`write_meta` writes it. Runners call
it when their results are complete, inside their thread settings. The
checkout is read once, when this module is first imported (as a run starts),
so a commit or an edit made while a run goes on does not change what it
records.
"""

import datetime
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["cpu_kernels", "device_description", "estimator_settings", "git_state", "run_meta",
           "write_meta"]

#: The package's source tree: its git checkout, if any, is the one that ran.
_SOURCE = Path(__file__).resolve().parents[1]


def _git(args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=30, check=True).stdout


def git_state(path=_SOURCE):
    """The commit checked out at ``path`` and whether the tree differs from it.

    Parameters
    ----------
    path : path-like, default: the imblearn_pgan package
        A folder whose files must be tracked by the checkout; a package
        installed into an unrelated repository (a virtual environment inside
        a project) is not that repository's code.

    Returns
    -------
    commit : str or None
        ``git rev-parse HEAD``; None outside a git checkout (or without git).
    dirty : bool or None
        Whether ``git status --porcelain`` lists anything (uncommitted edits
        or untracked files anywhere in the tree) but under
        ``benchmarks/results``: the outputs of earlier runs are data, not the
        code that ran; None with ``commit``.
    """
    try:
        _git(["ls-files", "--error-unmatch", "."], path)
        commit = _git(["rev-parse", "HEAD"], path).strip()
        top = _git(["rev-parse", "--show-toplevel"], path).strip()
        dirty = bool(_git(["status", "--porcelain", "--", ".",
                           ":(exclude)benchmarks/results"], top).strip())
    except (OSError, subprocess.SubprocessError):
        return None, None
    return commit, dirty


#: ``git_state()`` when the run started (this module's first import).
_CHECKOUT_AT_START = git_state()


def _versions():
    import imblearn
    import numpy
    import pandas
    import sklearn
    import torch

    from .. import __version__

    return {
        "python": platform.python_version(), "numpy": numpy.__version__,
        "scikit-learn": sklearn.__version__, "imbalanced-learn": imblearn.__version__,
        "torch": torch.__version__, "pandas": pandas.__version__, "imblearn_pgan": __version__,
    }


def _cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or None


def cpu_kernels():
    """Which CPU kernels torch ran: they decide the last bits of a fit.

    The same seed gives the same bits only with the same kernels; see the
    user guide's "Reproducibility" section.

    Returns
    -------
    kernels : dict
        ``aten_capability`` (the vector instruction set of torch's own
        kernels), ``mkl`` (whether torch's matrix products use MKL), and the
        environment variables that change either, ``ATEN_CPU_CAPABILITY`` and
        ``MKL_CBWR`` (None where unset).
    """
    import torch

    return {"aten_capability": torch.backends.cpu.get_cpu_capability(),
            "mkl": torch.backends.mkl.is_available(),
            "ATEN_CPU_CAPABILITY": os.environ.get("ATEN_CPU_CAPABILITY"),
            "MKL_CBWR": os.environ.get("MKL_CBWR")}


def device_description(device):
    """One line for a device: the GPU's name, or the CPU's cores and torch threads.

    Parameters
    ----------
    device : str or torch.device
        ``"auto"``, ``"cpu"``, ``"cuda[:N]"`` or a device.

    Returns
    -------
    description : str
        E.g. ``"cpu (2 cores, 1 thread(s) used)"``.
    """
    import torch

    from .._core import resolve_device

    device = resolve_device(device)
    if device.type == "cuda":
        return f"{device} ({torch.cuda.get_device_name(device)})"
    return f"cpu ({os.cpu_count()} cores, {torch.get_num_threads()} thread(s) used)"


def _plain(value):
    """``value`` as JSON can hold it; a nested estimator by its class name."""
    if hasattr(value, "get_params"):
        return type(value).__name__
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


def estimator_settings(estimator):
    """Every parameter of an estimator, nested ones too (``step__param``), JSON-ready.

    Parameters
    ----------
    estimator : estimator
        With ``get_params``.

    Returns
    -------
    settings : dict
        ``get_params(deep=True)`` with nested estimators named by class; a
        P-GAN's ``gan_params`` each by name, their defaults filled in.
    """
    params = estimator.get_params(deep=True)
    if hasattr(estimator, "_options"):
        params = {**{k: v for k, v in params.items() if k != "gan_params"},
                  **estimator._options()}
    return {k: _plain(v) for k, v in params.items()}


def _argv():
    # A script runs as ``python path.py ...``; an entry point by its own name.
    return (["python"] if sys.argv[0].endswith(".py") else []) + sys.argv


def run_meta(started, settings=None, *, command=None, argv=None, device=None):
    """The provenance of a run, then the caller's settings.

    Parameters
    ----------
    started : float
        ``time.time()`` when the run started.
    settings : dict, default=None
        What the run was asked to do and what it resolved to (data, every
        sampler's and classifier's settings, ...); added after the
        provenance keys, none of which it may repeat.
    command : str, default=None
        The command line as typed; None joins ``argv``.
    argv : list of str, default=None
        The command's words, joined with :func:`shlex.join`; None reads
        ``sys.argv`` (``python`` first where it names a script).
    device : str or torch.device, default=None
        The device of the run, described by :func:`device_description`;
        None for runs without one.

    Returns
    -------
    meta : dict
        ``command``, ``commit`` and ``dirty`` (:func:`git_state` when the run started),
        ``started_at`` (UTC, ISO 8601), ``wall_s``, ``versions``, ``cpu``
        (model), ``cpu_count`` (``os.cpu_count()``), ``cpus_usable`` (the
        process's CPU affinity), ``torch_threads`` (of this process, now),
        ``kernels`` (see :func:`cpu_kernels`), ``platform``, ``device``, then ``settings``.

    Raises
    ------
    ValueError
        If ``settings`` repeats a provenance key.
    """
    import torch

    commit, dirty = _CHECKOUT_AT_START
    meta = {
        "command": (command if command is not None
                    else shlex.join(_argv() if argv is None else argv)),
        "commit": commit,
        "dirty": dirty,
        "started_at": datetime.datetime.fromtimestamp(started, datetime.timezone.utc)
        .isoformat(timespec="seconds"),
        "wall_s": time.time() - started,
        "versions": _versions(),
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                        else os.cpu_count()),
        "torch_threads": torch.get_num_threads(),
        "kernels": cpu_kernels(),
        "platform": platform.platform(),
        "device": None if device is None else device_description(device),
    }
    clash = sorted(set(meta) & set(settings or {}))
    if clash:
        raise ValueError(f"settings may not set the provenance keys {clash}")
    return {**meta, **(settings or {})}


def write_meta(folder, meta):
    """Write ``meta`` to ``folder/meta.json`` (the folder is created if missing).

    Parameters
    ----------
    folder : str or path-like
        The run's output folder.
    meta : dict
        As built by :func:`run_meta`; values JSON cannot hold are written
        with ``str``.

    Returns
    -------
    path : pathlib.Path
        The file written.
    """
    path = Path(folder) / "meta.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(meta, indent=1, default=str) + "\n", encoding="utf-8")
    return path
