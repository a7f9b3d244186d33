"""The small CNN trained end to end with a long-tail loss or a class-balanced sampler.

:func:`small_cnn` is also the default F of
:class:`~imblearn_pgan.PolarityGANClassifier`; :class:`CNNClassifier` trains
it alone, with the losses of :mod:`imblearn_pgan.images.losses`, as the deep-learning
baseline against P-GAN.
"""

import copy
import numbers
import time

import numpy as np
import torch
from sklearn.base import _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted
from torch import nn
from torch.utils.data import WeightedRandomSampler

from .._core import TrainingDivergedError, derive_seed, make_generator, resolve_device, seeded_init
from ._base import INFERENCE_BATCHES, ImageClassifier
from ._input import as_tensor, check_images_to_predict, check_training_images, unit_float
from .losses import (
    BalancedSoftmaxLoss,
    LDAMLoss,
    LogitAdjustedLoss,
    NormedLinear,
    effective_number_weights,
    inverse_frequency_weights,
)

__all__ = ["CNNClassifier", "small_cnn"]

#: Width of the small CNN's features.
_CNN_DIM = 128


def small_cnn(channels, width=_CNN_DIM):
    """Two convolution blocks and a linear layer: F for small images (8x8 to 32x32).

    Parameters
    ----------
    channels : int
        Channels of the input images.
    width : int, default=128
        Number of output features.

    Returns
    -------
    torch.nn.Sequential
        Maps ``(N, channels, H, W)`` with ``H, W >= 2`` to ``(N, width)``.
    """
    return nn.Sequential(
        nn.Conv2d(channels, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(2),
        nn.Flatten(), nn.Linear(256, width), nn.ReLU(),
    )


class _CNN(nn.Module):
    """:func:`small_cnn` followed by a linear (or cosine) class head."""

    def __init__(self, channels, n_classes, width, cosine_head=False):
        super().__init__()
        self.body = small_cnn(channels, width)
        self.head = (NormedLinear if cosine_head else nn.Linear)(width, n_classes)

    def forward(self, x):
        return self.head(self.body(x))


#: The ``loss`` settings of :class:`CNNClassifier`.
LOSSES = ("ce", "weighted-ce", "logit-adjusted", "balanced-softmax", "ldam-drw")


class CNNClassifier(ImageClassifier):
    """The small CNN trained end to end with a long-tail loss or a class-balanced sampler.

    The deep-learning answer to class imbalance, without synthetic data:
    :func:`small_cnn` with a class head, trained by Adam for ``epochs``
    passes over the images with one of the losses of
    :mod:`imblearn_pgan.images.losses`, or with plain cross-entropy on batches that
    draw every class equally often. With ``loss="ce"`` and
    ``sampling="uniform"`` it is the plain CNN that
    ``pgan-benchmark --features cnn`` embeds images with.

    Parameters
    ----------
    loss : {"ce", "weighted-ce", "logit-adjusted", "balanced-softmax", "ldam-drw"}, \
            default="ce"
        ``"ce"``: cross-entropy. ``"weighted-ce"``: cross-entropy with the
        weights of :func:`~imblearn_pgan.images.losses.inverse_frequency_weights`.
        ``"logit-adjusted"``: :class:`~imblearn_pgan.images.losses.LogitAdjustedLoss`
        with ``tau``. ``"balanced-softmax"``:
        :class:`~imblearn_pgan.images.losses.BalancedSoftmaxLoss`. ``"ldam-drw"``:
        :class:`~imblearn_pgan.images.losses.LDAMLoss` on a cosine head
        (:class:`~imblearn_pgan.images.losses.NormedLinear`), unweighted until
        ``drw_epoch``, then weighted by
        :func:`~imblearn_pgan.images.losses.effective_number_weights` (deferred
        re-weighting).

    sampling : {"uniform", "class-balanced"}, default="uniform"
        ``"uniform"``: each epoch is a shuffle of the images.
        ``"class-balanced"``: each epoch draws as many images, with
        replacement, each with probability inversely proportional to its
        class size (:class:`torch.utils.data.WeightedRandomSampler`).

    epochs : int, default=10
        Passes over the training images (of their number, when sampled).

    batch_size : int, default=64
        Images per update.

    learning_rate : float, default=1e-3
        Adam learning rate, constant.

    width : int, default=128
        Number of features of the CNN (before the class head).

    tau : float, default=1.0
        Strength of the logit adjustment (``loss="logit-adjusted"``).

    drw_epoch : int or "auto", default="auto"
        First epoch (counted from 0) of deferred re-weighting
        (``loss="ldam-drw"``); ``"auto"`` is four fifths of ``epochs``, as
        160 of 200 in Cao et al. With ``loss="ldam-drw"`` an int must be
        below ``epochs`` (a ValueError says so): later, the re-weighting
        would never start.

    device : {"auto", "cpu", "cuda", "cuda:N"} or torch.device, default="auto"
        Where to train and predict; ``"auto"`` picks CUDA when available.

    random_state : int, RandomState instance or None, default=None
        Seeds the initialisation and the batch draws; the global numpy and
        torch RNGs are left alone. The same value gives the same predictions
        on the CPU.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels in sorted order.

    class_counts_ : ndarray of shape (n_classes,)
        Training images per class, which the losses are built from.

    model_ : torch.nn.Module
        The network (``body``: the CNN, ``head``: the class head), on the
        CPU, in eval mode.

    history_ : list of dict
        Per epoch: ``epoch``, the mean training ``loss`` and ``elapsed_s``.

    device_ : torch.device
        The device that trained the network.

    n_features_out_ : int
        Number of features of :meth:`transform` (``width``).

    input_channels_ : int
        Channels of the training images; later images must have as many.

    See Also
    --------
    PolarityGANClassifier : The same CNN trained with P-GAN's C, D and G.
    imblearn_pgan.images.losses : The losses on their own.

    Notes
    -----
    Images are accepted as by :class:`~imblearn_pgan.ResNetEmbedder`:
    ``(N, H, W)``, ``(N, H, W, C)`` or ``(N, C, H, W)`` with 1 or 3
    channels, integers in [0, 255] or floats in [0, 1]. There is no data
    augmentation and no learning-rate schedule, for any loss.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from imblearn_pgan import CNNClassifier
    >>> digits = load_digits()
    >>> images, y = digits.images[:200] / 16, digits.target[:200]
    >>> clf = CNNClassifier(loss="logit-adjusted", epochs=2, device="cpu",
    ...                     random_state=0).fit(images, y)
    >>> clf.predict_proba(images[:3]).shape
    (3, 10)
    >>> clf.transform(images[:3]).shape
    (3, 128)
    """

    _parameter_constraints: dict = {
        "loss": [StrOptions(set(LOSSES))],
        "sampling": [StrOptions({"uniform", "class-balanced"})],
        "epochs": [Interval(numbers.Integral, 1, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
        "width": [Interval(numbers.Integral, 1, None, closed="left")],
        "tau": [Interval(numbers.Real, 0, None, closed="left")],
        "drw_epoch": [Interval(numbers.Integral, 0, None, closed="left"), StrOptions({"auto"})],
        "device": [str, torch.device],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        loss="ce",
        sampling="uniform",
        epochs=10,
        batch_size=64,
        learning_rate=1e-3,
        width=_CNN_DIM,
        tau=1.0,
        drw_epoch="auto",
        device="auto",
        random_state=None,
    ):
        self.loss = loss
        self.sampling = sampling
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.width = width
        self.tau = tau
        self.drw_epoch = drw_epoch
        self.device = device
        self.random_state = random_state

    def _criterion(self, counts):
        """The loss module of ``loss``, before any deferred re-weighting."""
        if self.loss == "weighted-ce":
            return nn.CrossEntropyLoss(weight=inverse_frequency_weights(counts))
        if self.loss == "logit-adjusted":
            return LogitAdjustedLoss(counts, tau=self.tau)
        if self.loss == "balanced-softmax":
            return BalancedSoftmaxLoss(counts)
        if self.loss == "ldam-drw":
            return LDAMLoss(counts)
        return nn.CrossEntropyLoss()

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Train the CNN and its head on the images.

        Parameters
        ----------
        X : array-like of shape (N, H, W), (N, H, W, C) or (N, C, H, W)
            Training images; see the Notes.

        y : array-like of shape (N,)
            Class labels, at least two distinct.

        Returns
        -------
        self : CNNClassifier
            Fitted classifier.

        Raises
        ------
        imblearn_pgan.TrainingDivergedError
            When the training loss becomes NaN or infinite.
        MemoryError
            When CUDA runs out of memory (lower ``batch_size``).
        ValueError
            Bad images or labels, or ``drw_epoch`` not below ``epochs`` with
            ``loss="ldam-drw"``.
        """
        if (self.loss == "ldam-drw" and self.drw_epoch != "auto"
                and self.drw_epoch >= self.epochs):
            raise ValueError(
                f"drw_epoch={self.drw_epoch} is not below epochs={self.epochs}: the deferred "
                "re-weighting of loss='ldam-drw' would never start and the CNN would train "
                "plain LDAM. Use a drw_epoch below epochs, or 'auto' (four fifths of them).")
        X, self.classes_, y_index = check_training_images(X, y)
        self.class_counts_ = np.bincount(y_index)
        self.input_channels_ = X.shape[1]
        self.device_ = resolve_device(self.device)
        seed = derive_seed(self.random_state)
        try:
            model, self.history_ = self._train(as_tensor(X, "cpu"), y_index, seed)
        except torch.OutOfMemoryError as exc:
            raise self._memory_error(exc, f"lower batch_size (now {self.batch_size})") from exc
        self.model_ = model.cpu().eval().requires_grad_(False)
        self.n_features_out_ = self.width
        return self

    def _train(self, images, y_index, seed):
        counts, device = self.class_counts_, self.device_
        with seeded_init(seed):
            model = _CNN(images.shape[1], len(counts), self.width,
                         cosine_head=self.loss == "ldam-drw")
        model.to(device).train()
        rng = make_generator(seed, "cpu")
        optimizer = torch.optim.Adam(model.parameters(), lr=self.learning_rate)
        criterion = self._criterion(counts).to(device)
        targets = torch.as_tensor(y_index, dtype=torch.long)
        balanced = None
        if self.sampling == "class-balanced":
            balanced = WeightedRandomSampler(1.0 / counts[y_index], len(y_index),
                                             replacement=True, generator=rng)
        drw_epoch = (4 * self.epochs) // 5 if self.drw_epoch == "auto" else self.drw_epoch
        history, start = [], time.perf_counter()
        for epoch in range(self.epochs):
            if self.loss == "ldam-drw" and epoch == drw_epoch:
                criterion.weight = effective_number_weights(counts)
            order = (torch.tensor(list(balanced)) if balanced is not None
                     else torch.randperm(len(images), generator=rng))
            total = 0.0
            for batch in order.split(self.batch_size):
                loss = criterion(model(unit_float(images[batch]).to(device)),
                                 targets[batch].to(device))
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                total += loss.detach() * len(batch)
            mean = float(total) / len(order)
            if not np.isfinite(mean):
                raise TrainingDivergedError(
                    f"{type(self).__name__}: the {self.loss} loss became {mean} in epoch "
                    f"{epoch}; lower learning_rate (now {self.learning_rate})."
                )
            history.append({"epoch": epoch, "loss": mean,
                            "elapsed_s": time.perf_counter() - start})
        return model, history

    def _forward(self, X, use_classifier):
        check_is_fitted(self, "model_")
        images = as_tensor(check_images_to_predict(self, X, self.input_channels_), "cpu")
        device = resolve_device(self.device)
        # A device copy keeps model_ on the CPU (safe to pickle).
        model = self.model_ if device.type == "cpu" else copy.deepcopy(self.model_).to(device)
        parts = []
        with torch.inference_mode():
            for batch in images.split(INFERENCE_BATCHES * self.batch_size):
                out = model.body(unit_float(batch).to(device))
                out = torch.softmax(model.head(out), dim=1) if use_classifier else out
                parts.append(out.cpu())
        return torch.cat(parts).numpy()
