"""Polarity-GAN (P-GAN) and GAN baselines as imbalanced-learn oversamplers.

The public names are imported on first use (PEP 562), so that ``import
imblearn_pgan`` is quick and loads neither torch nor torchvision until a
sampler is asked for; ``ImageEmbedder``, ``ResNetEmbedder`` and
``PolarityGANClassifier`` bring torchvision in. The image side lives in
:mod:`imblearn_pgan.images`; its estimators are imported from here, its
losses from :mod:`imblearn_pgan.images.losses`.
"""

import importlib

__version__ = "0.1.0"

# Public name -> module that defines it.
_EXPORTS = {
    "ACGANSampler": ".baselines",
    "BAGANSampler": ".baselines",
    "CGANSampler": ".baselines",
    "CNNClassifier": ".images.cnn",
    "ConvexRandomSampler": ".convex",
    "ImageEmbedder": ".images.embedding",
    "PolarityGANClassifier": ".images.end_to_end",
    "PolarityGANSampler": ".sampler",
    "ResNetEmbedder": ".images.embedding",
    "TrainingDivergedError": "._core",
    "WGANGPSampler": ".baselines",
}

__all__ = [*_EXPORTS, "uncertainty", "__version__"]


def __getattr__(name):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    elif name == "uncertainty":
        value = importlib.import_module(".uncertainty", __name__)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
