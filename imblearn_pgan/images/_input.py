"""The one path images take into the package: checks, layout, tensors, preparation.

Every image estimator (:class:`~imblearn_pgan.ResNetEmbedder`,
:class:`~imblearn_pgan.PolarityGANClassifier`,
:class:`~imblearn_pgan.CNNClassifier`) accepts the same inputs
through :func:`as_image_batch`, keeps them as :func:`as_tensor` makes them and
scales them with :func:`unit_float`, so that a layout or dtype accepted by one
is accepted, and read the same, by all.
"""

import warnings

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d
from torch import nn

# Float images a little outside [0, 1] (interpolation overshoot) are not worth a warning.
_RANGE_TOL = 1e-3


def as_image_batch(X):
    """Validate images and return them as an (N, C, H, W) view of the input.

    Only views are taken, so an ndarray is never copied or cast as a whole.
    """
    if isinstance(X, (list, tuple)) and len({np.shape(image) for image in X}) > 1:
        shapes = sorted({np.shape(image) for image in X})
        raise ValueError(f"All images must have the same shape; got shapes {shapes}.")
    try:
        X = np.asarray(X)
    except ValueError as exc:  # ragged nested sequences
        raise ValueError(f"All images must have the same shape ({exc}).") from exc
    if X.dtype.kind not in "uif":
        raise ValueError(
            "X must be a numeric array of images that all have the same shape "
            f"(integers in [0, 255] or floats in [0, 1]); got dtype {X.dtype}."
        )
    shape = X.shape
    if X.ndim == 2:
        raise ValueError(
            f"Got a 2-D array of shape {shape}. Pass images as (N, H, W), (N, H, W, C) "
            "or (N, C, H, W); reshape flattened images, e.g. X.reshape(-1, 28, 28)."
        )
    if X.ndim not in (3, 4):
        raise ValueError(
            "Expected images of shape (N, H, W), (N, H, W, C) or (N, C, H, W); "
            f"got a {X.ndim}-D array of shape {shape}."
        )
    if X.size == 0:
        raise ValueError(f"X must contain at least one non-empty image; got shape {shape}.")

    if X.ndim == 3:
        X = X[:, None]
    elif X.shape[1] in (1, 3):
        pass  # channels-first, which also wins when axis 3 has size 1 or 3 too
    elif X.shape[3] in (1, 3):
        X = X.transpose(0, 3, 1, 2)
    else:
        raise ValueError(
            "4-D images must have 1 or 3 channels, on axis 1 (N, C, H, W) or on "
            f"axis 3 (N, H, W, C); got shape {shape}."
        )

    # min/max need no temporary the size of X and also expose NaN / inf.
    low, high = X.min(), X.max()
    if X.dtype.kind == "f":
        if not (np.isfinite(low) and np.isfinite(high)):
            raise ValueError("X contains NaN or infinity.")
        if low < -_RANGE_TOL or high > 1 + _RANGE_TOL:
            warnings.warn(
                f"Float images are expected in [0, 1] but range over [{low:.4g}, {high:.4g}]; "
                "divide 0..255 data by 255 or pass it as uint8.",
                UserWarning,
                # Point at the caller of fit/transform, past sklearn's wrapper.
                stacklevel=4,
            )
    elif low < 0 or high > 255:
        raise ValueError(
            f"Integer images must lie in [0, 255]; got values in [{low}, {high}]. "
            "Rescale them to floats in [0, 1]."
        )
    return X


def as_tensor(images, device):
    """Images from :func:`as_image_batch` as a tensor: uint8 when integer, else float32.

    Integers travel as uint8 (their range was checked) to keep host-to-device
    copies small. Always a copy: torch would warn about a read-only input, and
    the tensor must not share memory with the caller's array.
    """
    dtype = np.uint8 if images.dtype.kind in "ui" else np.float32
    return torch.from_numpy(np.array(images, dtype=dtype)).to(device)


def unit_float(x):
    """A tensor of :func:`as_tensor` as floats in [0, 1]."""
    return x.float() / 255.0 if x.dtype == torch.uint8 else x


def check_training_images(X, y):
    """Images as (N, C, H, W), the sorted classes and each label's index in them."""
    X = as_image_batch(X)
    y = column_or_1d(y, warn=True)
    check_classification_targets(y)
    if len(y) != len(X):
        raise ValueError(f"X has {len(X)} images but y has {len(y)} labels.")
    classes, y_index = np.unique(y, return_inverse=True)
    if len(classes) < 2:
        raise ValueError(f"y must hold at least two classes; got {list(classes)}.")
    return X, classes, y_index


def check_images_to_predict(estimator, X, channels):
    """Images as (N, C, H, W) with the ``channels`` that ``estimator`` was fitted on."""
    X = as_image_batch(X)
    if X.shape[1] != channels:
        raise ValueError(
            f"X has images with {X.shape[1]} channel(s) but {type(estimator).__name__} was "
            f"fitted on images with {channels} channel(s)."
        )
    return X


class ImageInput(nn.Module):
    """Channel repeat, resize and normalisation of [0, 1] images, as a network takes them."""

    def __init__(self, channels, size, mean, std):
        super().__init__()
        self.channels, self.size = channels, size
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32).view(1, -1, 1, 1))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32).view(1, -1, 1, 1))

    def forward(self, x):
        x = x.expand(-1, self.channels, -1, -1)
        if tuple(x.shape[-2:]) != self.size:
            x = F.interpolate(x, size=self.size, mode="bilinear", antialias=True)
        return (x - self.mean) / self.std
