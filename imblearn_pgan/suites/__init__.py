"""The benchmark of the package: P-GAN against classic and GAN oversamplers.

Run it as ``pgan-benchmark`` or ``python -m imblearn_pgan.suites``, or
from Python with :func:`run_images` (image data), :func:`run_keel`
(the KEEL suite) and :func:`run_tables` (real mixed-type tables).
"""

from .cli import main


def __getattr__(name):
    # The runners import torch and pandas: only when used, so --help is quick.
    if name == "run_images":
        from .images import run_images

        return run_images
    if name == "run_keel":
        from .keel import run_keel

        return run_keel
    if name == "run_tables":
        from .tables import run_tables

        return run_tables
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["main", "run_images", "run_keel", "run_tables"]
