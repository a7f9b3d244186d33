"""Embeddings of images kept on disk, each image embedded once per embedder setting.

Extracting pretrained features of Fashion-MNIST's 27,400 benchmark images takes
minutes on two cores, and every seed of the paper's profile draws another
training subset of the same images. The cache is content-addressed: a folder
per setting (the backbone, its weights, the image size and this package's
version, hashed), holding chunks of (image hash, features) pairs; a call
embeds only the images that no chunk holds yet and adds them as a new chunk.
"""

import hashlib
import json
import os
from pathlib import Path

import numpy as np

from .. import __version__

__all__ = ["cached_transform", "default_cache_dir"]


def default_cache_dir():
    """``$XDG_CACHE_HOME/imblearn-pgan/embeddings`` (``~/.cache`` when unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "imblearn-pgan" / "embeddings"


def image_hashes(images):
    """The sha1 of each image's bytes (with its shape and dtype), as ``S20`` bytes."""
    images = np.ascontiguousarray(images)
    stamp = f"{images.shape[1:]}{images.dtype}".encode()
    return np.array([hashlib.sha1(stamp + image.tobytes()).digest() for image in images],
                    dtype="S20")


def setting_key(embedder):
    """The folder name of a fitted embedder's setting."""
    params = {k: str(v) for k, v in sorted(embedder.get_params().items())
              if k not in ("batch_size", "device", "verbose", "mixed_precision")}
    text = json.dumps({"class": type(embedder).__name__, "params": params,
                       "version": __version__}, sort_keys=True)
    return f"{params.get('backbone', 'embedder')}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"


def cached_transform(embedder, images, cache_dir):
    """``embedder.transform(images)``, with each image's features read from
    ``cache_dir`` when an earlier call has embedded the same image.

    Parameters
    ----------
    embedder : ImageEmbedder
        Fitted, with deterministic weights (not a random initialisation).
    images : ndarray
        Images as :meth:`~imblearn_pgan.ImageEmbedder.transform` takes them.
    cache_dir : path-like or None
        The cache's root folder; None embeds every image, with no cache.

    Returns
    -------
    features : ndarray of shape (n_images, n_features), float32
    """
    if cache_dir is None:
        return embedder.transform(images)
    folder = Path(cache_dir) / setting_key(embedder)
    folder.mkdir(parents=True, exist_ok=True)
    keys = image_hashes(images)
    known = {}
    for chunk in sorted(folder.glob("chunk-*.npz")):
        with np.load(chunk) as saved:
            known.update(zip(saved["hashes"].tolist(), saved["features"]))
    # One row per image not in the cache (an image given twice is embedded once).
    todo = sorted({key: row for row, key in enumerate(keys.tolist()) if key not in known}.values())
    if todo:
        features = embedder.transform(images[todo])
        chunk = folder / f"chunk-{len(list(folder.glob('chunk-*.npz'))):04d}.npz"
        partial = chunk.with_suffix(".partial.npz")
        np.savez(partial, hashes=keys[todo], features=features)
        partial.replace(chunk)  # a stopped run leaves no half-written chunk
        known.update(zip(keys[todo].tolist(), features))
    return np.stack([known[key] for key in keys.tolist()]).astype(np.float32, copy=False)
