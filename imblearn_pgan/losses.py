"""Long-tail losses: what deep-learning users train with instead of oversampling.

Each loss is a :class:`torch.nn.Module` built from the training set's class
counts, called as ``loss(logits, target)`` like
:class:`torch.nn.CrossEntropyLoss`. The code, the references and the
examples live in ``imblearn_pgan.images.losses``; this module keeps the names
importable from here.
"""

from .images import losses as _losses
from .images.losses import *  # noqa: F403 (the names are listed once, in that module)

__all__ = _losses.__all__
