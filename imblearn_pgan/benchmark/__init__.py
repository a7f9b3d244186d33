"""The benchmark of the package: P-GAN against classic and GAN oversamplers.

Run it as ``pgan-benchmark`` or ``python -m imblearn_pgan.benchmark``, or
from Python with :func:`run_benchmark`.
"""

from .cli import main
from .runner import run_benchmark

__all__ = ["main", "run_benchmark"]
