"""The paper's GAN baselines as imbalanced-learn oversamplers.

Each module holds one GAN: its model (networks and losses, trained by the
shared core of :mod:`imblearn_pgan._core`) and its sampler.
"""

from .acgan import ACGANSampler
from .bagan import BAGANSampler
from .cgan import CGANSampler
from .wgangp import WGANGPSampler

__all__ = ["ACGANSampler", "BAGANSampler", "CGANSampler", "WGANGPSampler"]
