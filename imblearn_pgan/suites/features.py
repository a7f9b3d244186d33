"""Feature spaces of the benchmark, always fitted on the training split only."""

import numpy as np
from sklearn.decomposition import PCA


__all__ = ["FEATURES", "extract_features"]

#: Names accepted by ``features``.
FEATURES = ("pixels", "cnn", "resnet", "pretrained")

# Pixels with more columns than this are reduced by PCA unless told otherwise.
_DEFAULT_PCA = 64


def extract_features(data, features="pixels", *, pca="auto", cnn_epochs=10,
                     resnet_arch="resnet50", resnet_weights=None, resnet_image_size=224,
                     pretrained_image_size=112, embedding_cache=None, progress=False,
                     device="auto", random_state=0):
    """Training and test features of a benchmark data set.

    Every transformation is fitted on the training split only.

    Parameters
    ----------
    data : Bunch
        From :func:`imblearn_pgan.datasets.load_benchmark_data`.
    features : {"pixels", "cnn", "resnet", "pretrained"}, default="pixels"
        ``"pixels"``: the flattened pixels (or tabular columns);
        ``"cnn"``: the features of a
        :class:`~imblearn_pgan.CNNClassifier` (plain
        cross-entropy) trained on the training images, then frozen;
        ``"resnet"``: :class:`~imblearn_pgan.ResNetEmbedder`;
        ``"pretrained"``: :class:`~imblearn_pgan.ImageEmbedder`'s
        ImageNet-pretrained EfficientNet-Lite0 (the optional extra
        ``pretrained``).
    pca : "auto", int or None, default="auto"
        Reduce the features to this many principal components; ``"auto"``
        means 64 for pixels with more than 64 columns and no PCA otherwise.
    cnn_epochs : int, default=10
        Training epochs of the CNN.
    resnet_arch, resnet_weights, resnet_image_size
        ``arch``, ``weights`` and ``image_size`` of the ResNet embedder;
        ``weights=None`` is a random initialisation.
    pretrained_image_size : int, default=112
        ``image_size`` of the pretrained embedder.
    embedding_cache : "auto", path-like or None, default=None
        Folder where the pretrained features of each image are kept, so
        that each image is embedded once (:mod:`.embedding_cache`;
        ``"auto"``: its ``default_cache_dir()``); None keeps nothing.
    progress : bool, default=False
        A progress bar while the pretrained embedder runs.
    device : str, default="auto"
        Device of the CNN and the ResNet.
    random_state : int, default=0
        Seeds the CNN, the ResNet initialisation and the PCA.

    Returns
    -------
    X_train, X_test : ndarray
        Features.
    description : str
        One line saying what the features are.

    Raises
    ------
    ValueError
        Unknown ``features``, or image features asked of tabular data.
    """
    if features not in FEATURES:
        raise ValueError(f"unknown features {features!r}; choose from {', '.join(FEATURES)}")
    if features != "pixels" and data.images_train is None:
        raise ValueError(f"features={features!r} needs image data; {data.name!r} is tabular")
    if features == "pixels":
        X_train, X_test = data.X_train, data.X_test
        description = "pixels" if data.images_train is not None else "tabular columns"
    elif features == "cnn":
        X_train, X_test, description = _cnn_features(data, cnn_epochs, device, random_state)
    elif features == "pretrained":
        X_train, X_test, description = _pretrained_features(
            data, pretrained_image_size, embedding_cache, progress, device)
    else:
        X_train, X_test, description = _resnet_features(
            data, resnet_arch, resnet_weights, resnet_image_size, device, random_state)

    if pca == "auto":
        pca = _DEFAULT_PCA if features == "pixels" and X_train.shape[1] > _DEFAULT_PCA else None
    if pca:
        n = min(int(pca), *X_train.shape)
        reducer = PCA(n_components=n, random_state=random_state).fit(X_train)
        X_train, X_test = reducer.transform(X_train), reducer.transform(X_test)
        description += f", PCA to {n} dims (fitted on train)"
    return X_train, X_test, description


def _cnn_features(data, epochs, device, random_state):
    """The penultimate layer of a small CNN trained on the training images, frozen."""
    from ..images.cnn import CNNClassifier

    cnn = CNNClassifier(epochs=epochs, device=device, random_state=random_state)
    X_train = cnn.fit(data.images_train, data.y_train).transform(data.images_train)
    X_test = cnn.transform(data.images_test)
    description = (f"small CNN trained {epochs} epoch(s) on the imbalanced training "
                   f"images (plain cross-entropy), frozen, penultimate layer "
                   f"({cnn.n_features_out_}-d)")
    return X_train.astype(np.float64), X_test.astype(np.float64), description


def _pretrained_features(data, image_size, cache, progress, device):
    """ImageEmbedder's ImageNet EfficientNet-Lite0, each image embedded once per cache."""
    from ..images.embedding import ImageEmbedder
    from .embedding_cache import cached_transform, default_cache_dir

    cache = default_cache_dir() if cache == "auto" else cache
    embedder = ImageEmbedder(image_size=image_size, device=device,
                             verbose=progress).fit(data.images_train[:1])
    X_train = cached_transform(embedder, data.images_train, cache)
    X_test = cached_transform(embedder, data.images_test, cache)
    description = (f"ImageNet-pretrained efficientnet_lite0 embeddings "
                   f"({embedder.n_features_out_}-d), {image_size}px")
    return X_train.astype(np.float64), X_test.astype(np.float64), description


def _resnet_features(data, arch, weights, image_size, device, random_state):
    """ResNetEmbedder's features (random weights unless ``weights`` names some)."""
    from ..images.embedding import ResNetEmbedder

    embedder = ResNetEmbedder(arch=arch, weights=weights, image_size=image_size, device=device,
                              random_state=random_state)
    X_train = embedder.fit_transform(data.images_train).astype(np.float64)
    X_test = embedder.transform(data.images_test).astype(np.float64)
    shown = "random init (no weights given)" if weights is None else weights
    return X_train, X_test, f"{arch} embeddings, weights: {shown}, {image_size}px"
