"""torchvision for the image side, with a clear error when it does not match torch.

A torchvision build made for another torch fails on import with messages such as
``operator torchvision::nms does not exist``, which name neither version.
"""

from importlib.metadata import PackageNotFoundError, version

import torch

__all__ = ["WeightsEnum", "models"]


def _installed(name):
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


try:
    from torchvision import models
    from torchvision.models import WeightsEnum
except (ImportError, RuntimeError) as exc:
    raise ImportError(
        f"torchvision {_installed('torchvision')} cannot be used with torch "
        f"{torch.__version__} ({type(exc).__name__}: {exc}). Install the pair that belong "
        "together, from the same index (see the install page: a CPU-only torch wants the "
        "CPU-only torchvision of the same release)."
    ) from exc
