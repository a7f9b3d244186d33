"""Polarity-GAN (P-GAN) and GAN baselines as imbalanced-learn oversamplers."""

from . import uncertainty
from ._core import TrainingDivergedError
from .baselines import ACGANSampler, BAGANSampler, CGANSampler, WGANGPSampler
from .classifier import PolarityGANClassifier
from .embedding import ResNetEmbedder
from .sampler import PolarityGANSampler

__version__ = "0.1.0"

__all__ = [
    "ACGANSampler",
    "BAGANSampler",
    "CGANSampler",
    "PolarityGANClassifier",
    "PolarityGANSampler",
    "ResNetEmbedder",
    "TrainingDivergedError",
    "WGANGPSampler",
    "uncertainty",
    "__version__",
]
