"""Polarity-GAN (P-GAN) and GAN baselines as imbalanced-learn oversamplers."""

from . import uncertainty
from ._core import TrainingDivergedError
from .sampler import PolarityGANSampler

__version__ = "0.1.0"

__all__ = ["PolarityGANSampler", "TrainingDivergedError", "uncertainty", "__version__"]
