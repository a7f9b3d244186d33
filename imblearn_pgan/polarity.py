"""Algorithm 1 of the Polarity-GAN paper: autoencoder start, then C, D and G.

The losses of eq. 5 (Wasserstein, class-conditional, with gradient penalty)
and eq. 6 (cross-entropy of C, which G plays against) live here; the loop
itself is the shared core in :mod:`imblearn_pgan._core`.
"""

import numpy as np
import torch
import torch.nn.functional as F

from ._core import (
    GANModel,
    SpreadMeter,
    adam,
    critic_terms,
    optimizer_step,
    seeded_init,
)
from .networks import Autoencoder, Classifier, ConvexHullGenerator, Critic, Encoder

__all__ = ["PolarityGAN"]


def select_anchors(data, max_anchors, gen):
    """At most ``max_anchors`` seeded rows per class, sorted by class."""
    picks = []
    for k in range(data.n_classes):
        rows = data.rows_of(k)
        if len(rows) > max_anchors:
            perm = torch.randperm(len(rows), generator=gen, device=rows.device)
            rows = rows[perm[:max_anchors]].sort().values
        picks.append(rows)
    return torch.cat(picks)


def log_not_own_class(logits, labels):
    """``log(1 - C(x)_k)`` from logits, exact where C is sure (no saturation)."""
    others = logits.scatter(1, labels[:, None], float("-inf"))
    return torch.logsumexp(others, 1) - torch.logsumexp(logits, 1)


class PolarityGAN(GANModel):
    """P-GAN's networks and losses (§4, Algorithm 1, eq. 3–6).

    Parameters are those of :class:`~imblearn_pgan.PolarityGANSampler`.
    """

    def __init__(
        self,
        data,
        X_source,
        gen,
        seed,
        *,
        n_iter,
        batch_size,
        latent_dim,
        hidden_dim,
        pseudo_dim,
        learning_rate,
        betas,
        n_critic,
        gradient_penalty,
        classifier_weight,
        autoencoder_steps,
        autoencoder_learning_rate,
        max_anchors,
        latent_noise,
    ):
        self.gen = gen
        self.n_iter, self.batch_size = n_iter, batch_size
        self.n_critic, self.gp_weight = n_critic, gradient_penalty
        self.classifier_weight = classifier_weight
        self.autoencoder_steps = autoencoder_steps
        self.latent_noise = latent_noise
        device = data.device

        self.anchor_rows = select_anchors(data, max_anchors, gen)
        self.refresh(data, X_source)
        rows = self.anchor_rows
        self.anchor_class = data.y[rows]
        self.anchor_count = torch.bincount(self.anchor_class, minlength=data.n_classes)
        self.anchor_start = torch.cumsum(self.anchor_count, 0) - self.anchor_count
        bounds = np.r_[0, np.cumsum(self.anchor_count.tolist())]
        self.anchor_slices = [slice(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:])]
        self.n_classes = data.n_classes
        # Class blocks need the block sizes on the host: free on the CPU only.
        self.grouped = device.type == "cpu"

        with seeded_init(seed):
            encoder = Encoder(data.n_features, hidden_dim, latent_dim)
            self.generator = ConvexHullGenerator(
                latent_dim, hidden_dim, pseudo_dim, data.n_features,
                temperature=self._initial_temperature(),
            )
            self.autoencoder = Autoencoder(encoder, self.generator)
            self.critic = Critic(data.n_features, hidden_dim, data.n_classes)
            self.classifier = Classifier(data.n_features, hidden_dim, data.n_classes)
        self.networks = {
            "autoencoder": self.autoencoder,
            "generator": self.generator,
            "critic": self.critic,
            "classifier": self.classifier,
        }
        self.to(device)
        # The temperature stays at its data-driven start while pre-training:
        # rebuilding rows that are anchors themselves would drive it to 0 (copies).
        self.opt_ae = adam([self.autoencoder], autoencoder_learning_rate, betas,
                           exclude=[self.generator.P.log_temperature])
        self.opt_g = adam([self.generator], learning_rate, betas)
        # D and C have disjoint parameters and per-parameter Adam: one optimizer,
        # one backward of the summed losses is the same update as two.
        self.opt_dc = adam([self.critic, self.classifier], learning_rate, betas)
        self.anchor_codes = torch.zeros(len(rows), latent_dim, device=device)
        self.code_scale = torch.zeros(data.n_classes, latent_dim, device=device)

    def refresh(self, data, X_source):
        """Point the model at new features of the same rows (Algorithm 1's F changed).

        The anchors stay the same rows; their coordinates follow the data.
        """
        self.data, self.mean, self.scale = data, data.mean, data.scale
        self.spread = SpreadMeter(data)
        self.anchors = data.X[self.anchor_rows]
        self.anchor_sqnorm = (self.anchors**2).sum(1)
        rows = self.anchor_rows.cpu().numpy()
        self.anchors_original = np.asarray(X_source[rows], dtype=np.float64)

    def _initial_temperature(self):
        """A quarter of the median squared distance from an anchor to its 5th neighbour.

        On the data's own scale, and sharp enough that a query on a row puts
        most weight on it and a few neighbours (a larger one blurs every
        point toward the class mean).
        """
        probe = self.anchors[:512]
        d2 = torch.cdist(probe, self.anchors).pow(2)
        k = min(5, self.anchors.shape[0] - 1)
        if k < 1:
            return 1.0
        kth = d2.topk(k + 1, dim=1, largest=False).values[:, k]
        return max(0.25 * float(kth.median()), 1e-3)

    def stages(self):
        return [
            ("autoencoder", self.autoencoder_steps, self.autoencoder_step),
            ("latent", 1, self.fit_latent),
            ("gan", self.n_iter, self.gan_step),
        ]

    # --- §4 "Autoencoder training": all rows, no labels ----------------------

    def autoencoder_step(self, step):
        rows = self.data.sample_any(self.batch_size, self.gen)
        x = self.data.X[rows]
        loss = F.mse_loss(self.autoencoder(x, self.anchors, self.anchor_sqnorm), x)
        optimizer_step(self.opt_ae, loss)
        return {"autoencoder": loss.detach()}

    @torch.no_grad()
    def fit_latent(self, step):
        """Class conditioning of the latent from the encoded rows of each class.

        Each class's latent law is a Gaussian kernel density on its encoded
        anchors: the code of a random anchor of the class plus noise scaled by
        the class's spread of codes (BAGAN fits one Gaussian per class; one
        Gaussian spreads multimodal classes between their modes).
        """
        codes = torch.cat([self.autoencoder.encoder(a) for a in self.anchors.split(8192)])
        self.anchor_codes = codes
        for k in range(self.n_classes):
            own = codes[self.anchor_class == k]
            self.code_scale[k] = own.std(0) if len(own) > 1 else 0.0
        return {}

    # --- Algorithm 1, steps 3-11 --------------------------------------------

    def sample_latent(self, labels, gen):
        u = torch.rand(len(labels), generator=gen, device=labels.device)
        pick = self.anchor_start[labels] + (u * self.anchor_count[labels]).long().clamp_max(
            self.anchor_count[labels] - 1
        )
        eps = torch.randn(len(labels), self.anchor_codes.shape[1], generator=gen,
                          device=labels.device)
        return self.anchor_codes[pick] + self.latent_noise * self.code_scale[labels] * eps

    def fake(self, labels, gen):
        """G(z|k) over each row's own class anchors; ``labels`` must be sorted.

        Returns the points and each point's largest anchor weight.
        """
        z = self.sample_latent(labels, gen)
        if not self.grouped:
            # One masked product over all anchors: no host sync inside the loop.
            mask = self.anchor_class[None, :] == labels[:, None]
            w = self.generator.weights(z, self.anchors, self.anchor_sqnorm, mask)
            return w @ self.anchors, w.max(1).values
        # On the CPU, class blocks cost sum_k b_k n_k instead of B N.
        sizes = torch.bincount(labels, minlength=self.n_classes).tolist()
        points, top = [], []
        for k, zk in zip(range(self.n_classes), z.split(sizes)):
            if len(zk):
                w = self.class_weights(zk, k)
                points.append(w @ self.anchors[self.anchor_slices[k]])
                top.append(w.max(1).values)
        return torch.cat(points), torch.cat(top)

    def class_weights(self, z, k):
        """Softmax weights of latent codes over the anchors of class ``k``."""
        own = self.anchor_slices[k]
        return self.generator.weights(z, self.anchors[own], self.anchor_sqnorm[own])

    def gan_step(self, step):
        data, gen, B = self.data, self.gen, self.batch_size
        for _ in range(self.n_critic):
            labels = data.sample_fake_labels(B, gen).sort().values  # step 6: ∝ p_K - p_k
            with torch.no_grad():
                fake, _ = self.fake(labels, gen)
            real = data.X[data.sample_rows(labels, gen)]  # same classes as the fakes
            # Step 4 and 7, critic: eq. 5 with a 1-Lipschitz penalty.
            wasserstein, gp = critic_terms(self.critic, real, fake, labels, gen)
            # Step 4 and 7, classifier: eq. 6 on real rows and labelled fakes.
            rows = data.sample_any(B, gen)
            logits = self.classifier(torch.cat([data.X[rows], fake]))
            c_loss = F.cross_entropy(logits[:B], data.y[rows]) + F.cross_entropy(
                logits[B:], labels)
            optimizer_step(self.opt_dc, -wasserstein + self.gp_weight * gp + c_loss)
        # Steps 8-11: G against D and C, minority classes drawn uniformly.
        labels = data.sample_uniform_targets(B, gen).sort().values
        fake, top_weight = self.fake(labels, gen)
        g_critic = -self.critic(fake, labels).mean()
        g_classifier = -log_not_own_class(self.classifier(fake), labels).mean()
        optimizer_step(self.opt_g, g_critic + self.classifier_weight * g_classifier)
        return {
            "critic": -wasserstein.detach(),
            "gradient_penalty": gp.detach(),
            "classifier": c_loss.detach(),
            "generator_critic": g_critic.detach(),
            "generator_classifier": g_classifier.detach(),
            "max_weight": top_weight.detach().mean(),
            "spread": self.spread(fake, labels),
        }

    # --- generation -----------------------------------------------------------

    @torch.no_grad()
    def generate(self, class_index, n, gen):
        """``n`` points of one class: standardised tensor and exact originals.

        The originals are the float64 convex combinations of the raw anchor
        rows, so they lie in the class's hull up to rounding of the input.
        """
        labels = torch.full((n,), class_index, dtype=torch.long, device=self.anchors.device)
        own = self.anchor_slices[class_index]
        w = self.class_weights(self.sample_latent(labels, gen), class_index).double()
        w /= w.sum(1, keepdim=True)
        original = w.cpu().numpy() @ self.anchors_original[own]
        return (w @ self.anchors[own].double()).float(), original

    @torch.no_grad()
    def predict_proba(self, Z):
        """C's class probabilities for standardised points."""
        return torch.softmax(self.classifier(Z), dim=1)

    def release_training_data(self):
        super().release_training_data()
        self.opt_ae = self.opt_g = self.opt_dc = None

    def to(self, device):
        super().to(device)
        self.grouped = torch.device(device).type == "cpu"
        for name in ("anchors", "anchor_sqnorm", "anchor_class", "anchor_rows",
                     "anchor_count", "anchor_start", "anchor_codes", "code_scale"):
            if hasattr(self, name):
                setattr(self, name, getattr(self, name).to(device))
        return self
