"""Long-tail losses: what deep-learning users train with instead of oversampling.

Each loss is a :class:`torch.nn.Module` built from the training set's class
counts, called as ``loss(logits, target)`` like
:class:`torch.nn.CrossEntropyLoss`, and usable on its own in any torch
training loop. Class-weighted cross-entropy needs no module of its own:
:func:`inverse_frequency_weights` gives the ``weight`` of
:func:`torch.nn.functional.cross_entropy`.

References
----------
Menon et al., "Long-tail learning via logit adjustment", ICLR 2021.
Ren et al., "Balanced meta-softmax for long-tailed visual recognition", NeurIPS 2020.
Cao et al., "Learning imbalanced datasets with label-distribution-aware margin
loss", NeurIPS 2019 (LDAM and deferred re-weighting, DRW).
Cui et al., "Class-balanced loss based on effective number of samples", CVPR 2019.
"""

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

__all__ = [
    "BalancedSoftmaxLoss",
    "LDAMLoss",
    "LogitAdjustedLoss",
    "NormedLinear",
    "effective_number_weights",
    "inverse_frequency_weights",
]


def _counts(class_counts):
    counts = np.asarray(class_counts, dtype=np.float64)
    if counts.ndim != 1 or len(counts) < 2 or not np.all(np.isfinite(counts)) \
            or counts.min() <= 0:
        raise ValueError(
            f"class_counts must list at least two positive counts; got {class_counts!r}."
        )
    return counts


def inverse_frequency_weights(class_counts):
    """Class weights ``n / (K n_k)``: scikit-learn's ``class_weight="balanced"``.

    Parameters
    ----------
    class_counts : array-like of shape (K,)
        Training rows per class.

    Returns
    -------
    weight : torch.Tensor of shape (K,), float32
        Pass as ``weight`` to :func:`torch.nn.functional.cross_entropy`.

    Examples
    --------
    >>> from imblearn_pgan.images.losses import inverse_frequency_weights
    >>> inverse_frequency_weights([30, 10])
    tensor([0.6667, 2.0000])
    """
    counts = _counts(class_counts)
    return torch.tensor(counts.sum() / (len(counts) * counts), dtype=torch.float32)


def effective_number_weights(class_counts, beta=0.9999):
    """Class-balanced weights of Cui et al.: ``(1 - beta) / (1 - beta ** n_k)``.

    Normalised to sum to the number of classes, as in the DRW stage of
    LDAM-DRW (Cao et al. use ``beta=0.9999``).

    Parameters
    ----------
    class_counts : array-like of shape (K,)
        Training rows per class.
    beta : float, default=0.9999
        In [0, 1). 0 gives equal weights; towards 1 the weights tend to
        the inverse frequencies.

    Returns
    -------
    weight : torch.Tensor of shape (K,), float32
        Class weights.

    Examples
    --------
    >>> from imblearn_pgan.images.losses import effective_number_weights
    >>> effective_number_weights([3, 1], beta=0.5)
    tensor([0.7273, 1.2727])
    """
    if not 0 <= beta < 1:
        raise ValueError(f"beta must be in [0, 1); got {beta}.")
    counts = _counts(class_counts)
    weights = (1.0 - beta) / (1.0 - np.power(beta, counts))
    return torch.tensor(weights / weights.sum() * len(counts), dtype=torch.float32)


class LogitAdjustedLoss(nn.Module):
    """Logit-adjusted cross-entropy (Menon et al.): ``CE(z + tau * log(prior), y)``.

    Training adds the log class prior to the logits; predicting uses the
    raw logits, which then estimate the balanced (class-uniform) posterior.

    Parameters
    ----------
    class_counts : array-like of shape (K,)
        Training rows per class; the prior is their share.
    tau : float, default=1.0
        Strength of the adjustment; 0 is plain cross-entropy.

    Examples
    --------
    >>> import torch
    >>> from imblearn_pgan.images.losses import LogitAdjustedLoss
    >>> loss = LogitAdjustedLoss([3, 1])
    >>> round(loss(torch.zeros(1, 2), torch.tensor([1])).item(), 4)  # -log(1/4)
    1.3863
    """

    def __init__(self, class_counts, tau=1.0):
        super().__init__()
        counts = _counts(class_counts)
        self.tau = float(tau)
        self.register_buffer("log_prior",
                             torch.tensor(np.log(counts / counts.sum()), dtype=torch.float32))

    def forward(self, logits, target):
        return F.cross_entropy(logits + self.tau * self.log_prior, target)


class BalancedSoftmaxLoss(nn.Module):
    """Balanced softmax (Ren et al.): ``-log(n_y e^{z_y} / sum_j n_j e^{z_j})``.

    The softmax is weighted by the class counts during training and plain
    at prediction. It is the same loss as :class:`LogitAdjustedLoss` with
    ``tau=1`` (the log counts and the log prior differ by a constant, which
    the softmax ignores); Ren et al. pair it with a meta-learned sampler,
    which is not part of this module.

    Parameters
    ----------
    class_counts : array-like of shape (K,)
        Training rows per class.

    Examples
    --------
    >>> import torch
    >>> from imblearn_pgan.images.losses import BalancedSoftmaxLoss
    >>> loss = BalancedSoftmaxLoss([3, 1])
    >>> round(loss(torch.zeros(1, 2), torch.tensor([1])).item(), 4)  # -log(1/4)
    1.3863
    """

    def __init__(self, class_counts):
        super().__init__()
        counts = _counts(class_counts)
        self.register_buffer("log_counts", torch.tensor(np.log(counts), dtype=torch.float32))

    def forward(self, logits, target):
        return F.cross_entropy(logits + self.log_counts, target)


class LDAMLoss(nn.Module):
    """Label-distribution-aware margin loss (Cao et al.).

    The target logit is lowered by a class margin ``C / n_y ** (1/4)``
    (scaled so that the rarest class gets ``max_margin``), then the logits
    are multiplied by ``scale`` and fed to cross-entropy with the optional
    class ``weight``. Cao et al. apply it to cosine logits (see
    :class:`NormedLinear`), hence the large ``scale``; deferred
    re-weighting (DRW) sets ``weight`` to :func:`effective_number_weights`
    late in training.

    Parameters
    ----------
    class_counts : array-like of shape (K,)
        Training rows per class.
    max_margin : float, default=0.5
        Margin of the rarest class.
    scale : float, default=30.0
        Factor of the logits (``s`` in the paper).
    weight : torch.Tensor of shape (K,) or None, default=None
        Class weights of the cross-entropy; the attribute may be set
        between epochs (DRW).

    Examples
    --------
    >>> import torch
    >>> from imblearn_pgan.images.losses import LDAMLoss
    >>> loss = LDAMLoss([16, 1], max_margin=0.5, scale=1.0)
    >>> loss.margins
    tensor([0.2500, 0.5000])
    >>> round(loss(torch.zeros(1, 2), torch.tensor([1])).item(), 4)  # -log(e^-.5 / (e^-.5 + 1))
    0.9741
    """

    def __init__(self, class_counts, max_margin=0.5, scale=30.0, weight=None):
        super().__init__()
        counts = _counts(class_counts)
        margins = counts ** -0.25
        self.scale = float(scale)
        self.register_buffer("margins",
                             torch.tensor(margins * max_margin / margins.max(), dtype=torch.float32))
        self.weight = weight

    def forward(self, logits, target):
        margin = F.one_hot(target, logits.shape[1]).to(logits.dtype) * self.margins[target, None]
        weight = None if self.weight is None else self.weight.to(logits.device)
        return F.cross_entropy(self.scale * (logits - margin), target, weight=weight)


class NormedLinear(nn.Module):
    """Cosine logits: a linear layer on unit-norm inputs with unit-norm class weights.

    The last layer of Cao et al.'s LDAM networks; its logits lie in
    [-1, 1], which :class:`LDAMLoss` scales.

    Parameters
    ----------
    in_features, out_features : int
        Sizes, as for :class:`torch.nn.Linear`.

    Examples
    --------
    >>> import torch
    >>> from imblearn_pgan.images.losses import NormedLinear
    >>> NormedLinear(4, 3)(torch.ones(2, 4)).abs().max().item() <= 1.0
    True
    """

    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(in_features, out_features))
        nn.init.uniform_(self.weight, -1.0, 1.0)

    def forward(self, x):
        return F.normalize(x, dim=1) @ F.normalize(self.weight, dim=0)
