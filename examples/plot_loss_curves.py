"""
=====================================
Reading P-GAN's training loss curves
=====================================

:class:`~imblearn_pgan.PolarityGANSampler` records its training in
``history_``: one dict per logged step with the losses of every network and
two diagnostics of what the generator makes. This example plots them for a
short run on the embedded digits benchmark, and says what to look for.

Training has three stages (Algorithm 1 of the paper, with the autoencoder
start of §4):

1. ``"autoencoder"``: the encoder and the generator, used as decoder, learn
   to rebuild every row as a convex combination of the rows (no labels);
2. ``"latent"``: one step that fits each class's latent distribution to the
   codes of its rows;
3. ``"gan"``: the critic D and classifier C take ``n_critic`` steps, then the
   generator G one step against both.
"""

# %%
# Train and collect the history
# -----------------------------
import matplotlib.pyplot as plt
import pandas as pd
from threadpoolctl import threadpool_limits

from imblearn_pgan import PolarityGANSampler
from imblearn_pgan.datasets import load_default_benchmark_data

# Small models: one BLAS/OpenMP thread is the fastest, and many times faster on a busy machine.
threadpool_limits(1)

data = load_default_benchmark_data(random_state=0)
sampler = PolarityGANSampler(
    n_iter=500, batch_size=64, device="cpu", random_state=0,
    gan_params={"autoencoder_steps": 300},
)
X_res, y_res = sampler.fit_resample(data.X_train, data.y_train)

history = pd.DataFrame(sampler.history_)
print(history.groupby("stage", sort=False)["step"].agg(["count", "max"]))
gan = history[history["stage"] == "gan"].set_index("step")
print(gan.drop(columns=["stage", "autoencoder", "elapsed_s"]).round(3).to_string())

# %%
# The curves
# ----------
# * **autoencoder**: mean squared reconstruction error of standardised rows.
#   It should fall during the first stage; it is what starts G "close to the
#   right solution and far from mode collapse" (§4).
# * **critic**: the critic's loss, minus its estimate of the Wasserstein
#   distance between real and generated rows of the same class (eq. 5).
#   Near 0 means D can barely tell them apart. ``gradient_penalty`` is the
#   1-Lipschitz penalty added to it (weighted by ``gradient_penalty=10``).
# * **classifier**: C's cross-entropy on real rows plus that on labelled
#   generated rows (eq. 6).
# * **generator_critic** and **generator_classifier**: G's two games. The
#   second is ``-log(1 - C_k(G(z|k)))``: it grows as C gets surer that G's
#   points belong to their class k, and G lowers it by moving them toward
#   the other classes. It is capped at ``-log(1e-6)``, about 13.8: a curve
#   flat at that ceiling means C is sure of every generated row and G gets no
#   gradient from C, only from D.
# * **spread**: distance of generated rows to their class mean over the same
#   for real rows. Near 0 means G collapsed onto the class mean.
# * **max_weight**: mean largest anchor weight of the convex combination
#   (eq. 3). Near 1 means G copies single training rows.
ae = history[history["stage"] == "autoencoder"].set_index("step")
panels = [
    ("autoencoder stage", ae[["autoencoder"]]),
    ("critic D (eq. 5)", gan[["critic"]]),
    ("critic's gradient penalty", gan[["gradient_penalty"]]),
    ("classifier C (eq. 6)", gan[["classifier"]]),
    ("generator G", gan[["generator_critic", "generator_classifier"]]),
    ("diagnostics of G's rows", gan[["spread", "max_weight"]]),
]
fig, axes = plt.subplots(2, 3, figsize=(12, 6.5))
for ax, (title, frame) in zip(axes.flat, panels):
    frame.plot(ax=ax, marker=".")
    ax.set_title(title)
axes.flat[-1].axhline(1.0, color="grey", linewidth=0.8, linestyle=":")
fig.tight_layout()

# %%
# What to do when the curves look wrong
# -------------------------------------
# * A loss that becomes NaN or infinite stops training with
#   :class:`~imblearn_pgan.TrainingDivergedError`: lower ``learning_rate`` or
#   raise ``gradient_penalty`` (both settings of ``gan_params``).
# * ``spread`` falling toward 0 or ``max_weight`` rising toward 1 over the
#   ``"gan"`` stage: the generator is collapsing onto the class mean or onto
#   single rows. Train the autoencoder longer (``gan_params={"autoencoder_steps": ...}``) or lower
#   ``classifier_weight``.
# * ``history_`` logs about every ``n_iter // 10`` steps (at most every 50),
#   so the curves of a short run like this one are coarse.
