"""Long-tail losses: what deep-learning users train with instead of oversampling.

Each loss is a :class:`torch.nn.Module` built from the training set's class
counts, called as ``loss(logits, target)`` like
:class:`torch.nn.CrossEntropyLoss`, and usable on its own in any torch
training loop. Class-weighted cross-entropy needs no module of its own:
:func:`inverse_frequency_weights` gives the ``weight`` of
:func:`torch.nn.functional.cross_entropy`.

The code lives in ``imblearn_pgan.images.losses``; this module keeps the
names importable from here.

References
----------
Menon et al., "Long-tail learning via logit adjustment", ICLR 2021.
Ren et al., "Balanced meta-softmax for long-tailed visual recognition", NeurIPS 2020.
Cao et al., "Learning imbalanced datasets with label-distribution-aware margin
loss", NeurIPS 2019 (LDAM and deferred re-weighting, DRW).
Cui et al., "Class-balanced loss based on effective number of samples", CVPR 2019.
"""

from .images import losses as _losses
from .images.losses import *  # noqa: F403 (the names are listed once, in that module)

__all__ = _losses.__all__
