"""Algorithm 1 of the Polarity-GAN paper: autoencoder start, then C, D and G.

The losses of eq. 5 (Wasserstein, class-conditional, with gradient penalty)
and eq. 6 (cross-entropy of C, which G plays against) live here; the loop
itself is the shared core in :mod:`imblearn_pgan._core`.
"""

import numpy as np
import torch
import torch.nn.functional as F

from ._core import GANModel, adam, gradient_penalty, optimizer_step, seeded_init
from .networks import Autoencoder, Classifier, ConvexHullGenerator, Critic, Encoder

__all__ = ["PolarityGAN"]

_EPS = 1e-6


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
        max_anchors,
    ):
        self.data, self.gen = data, gen
        self.mean, self.scale = data.mean, data.scale
        self.n_iter, self.batch_size = n_iter, batch_size
        self.n_critic, self.gp_weight = n_critic, gradient_penalty
        self.classifier_weight = classifier_weight
        self.autoencoder_steps = autoencoder_steps
        device = data.device

        rows = select_anchors(data, max_anchors, gen)
        self.anchors = data.X[rows]
        self.anchor_sqnorm = (self.anchors**2).sum(1)
        self.anchor_class = data.y[rows]
        self.anchors_original = np.asarray(X_source[rows.cpu().numpy()], dtype=np.float64)
        # Position of each training row among the anchors (-1: not an anchor).
        self.anchor_of_row = torch.full((len(data),), -1, dtype=torch.long, device=device)
        self.anchor_of_row[rows] = torch.arange(len(rows), device=device)

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
        self.opt_ae = adam([self.autoencoder], learning_rate, betas, device)
        self.opt_g = adam([self.generator], learning_rate, betas, device)
        self.opt_d = adam([self.critic], learning_rate, betas, device)
        self.opt_c = adam([self.classifier], learning_rate, betas, device)
        self.latent_mean = torch.zeros(data.n_classes, latent_dim, device=device)
        self.latent_chol = torch.eye(latent_dim, device=device).repeat(data.n_classes, 1, 1)

    def _initial_temperature(self):
        """Median squared distance from an anchor to its 5th neighbour.

        A start on the data's own scale: the autoencoder refines it.
        """
        probe = self.anchors[:512]
        d2 = torch.cdist(probe, self.anchors).pow(2)
        k = min(5, self.anchors.shape[0] - 1)
        if k < 1:
            return 1.0
        kth = d2.topk(k + 1, dim=1, largest=False).values[:, k]
        return max(float(kth.median()), 1e-3)

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
        pos = self.anchor_of_row[rows]
        mask = torch.ones(len(rows), len(self.anchors), dtype=torch.bool, device=x.device)
        is_anchor = pos >= 0
        mask[is_anchor.nonzero().flatten(), pos[is_anchor]] = False  # leave one out
        loss = F.mse_loss(self.autoencoder(x, self.anchors, self.anchor_sqnorm, mask), x)
        optimizer_step(self.opt_ae, loss)
        return {"autoencoder": loss.detach()}

    @torch.no_grad()
    def fit_latent(self, step):
        """BAGAN's class conditioning: a Gaussian per class on the encoded rows."""
        encoder = self.autoencoder.encoder
        latent_dim = self.latent_mean.shape[1]
        ridge = 1e-3 * torch.eye(latent_dim, device=self.anchors.device)
        for k in range(self.data.n_classes):
            codes = torch.cat([encoder(self.data.X[r]) for r in self.rows_of_chunks(k)])
            mean = codes.mean(0)
            centred = codes - mean
            cov = centred.T @ centred / max(len(codes) - 1, 1)
            self.latent_mean[k] = mean
            self.latent_chol[k] = torch.linalg.cholesky(cov + ridge * (1 + cov.diagonal().mean()))
        return {}

    def rows_of_chunks(self, k, chunk=8192):
        rows = self.data.rows_of(k)
        return rows.split(chunk)

    # --- Algorithm 1, steps 3-11 --------------------------------------------

    def sample_latent(self, labels, gen):
        eps = torch.randn(len(labels), self.latent_mean.shape[1], 1, generator=gen,
                          device=labels.device)
        return self.latent_mean[labels] + (self.latent_chol[labels] @ eps).squeeze(2)

    def fake(self, labels, gen):
        """G(z|k) for each label, restricted to that class's anchors."""
        mask = self.anchor_class[None, :] == labels[:, None]
        weights = self.generator.weights(
            self.sample_latent(labels, gen), self.anchors, self.anchor_sqnorm, mask
        )
        return weights @ self.anchors, weights

    def gan_step(self, step):
        data, gen, B = self.data, self.gen, self.batch_size
        for _ in range(self.n_critic):
            labels = data.sample_fake_labels(B, gen)  # step 6: ∝ (p_K - p_k)
            with torch.no_grad():
                fake, _ = self.fake(labels, gen)
            real = data.X[data.sample_rows(labels, gen)]  # same classes as the fakes
            # Step 4 and 7, critic: eq. 5 with a 1-Lipschitz penalty.
            gp = gradient_penalty(self.critic, real, fake, labels, gen)
            wasserstein = self.critic(real, labels).mean() - self.critic(fake, labels).mean()
            optimizer_step(self.opt_d, -wasserstein + self.gp_weight * gp)
            # Step 4 and 7, classifier: eq. 6 on real rows and labelled fakes.
            rows = data.sample_any(B, gen)
            c_loss = F.cross_entropy(self.classifier(data.X[rows]), data.y[rows]) + (
                F.cross_entropy(self.classifier(fake), labels)
            )
            optimizer_step(self.opt_c, c_loss)
        # Steps 8-11: G against D and C, minority classes drawn uniformly.
        labels = data.sample_uniform_targets(B, gen)
        fake, weights = self.fake(labels, gen)
        g_critic = -self.critic(fake, labels).mean()
        p_own = torch.softmax(self.classifier(fake), 1).gather(1, labels[:, None])
        g_classifier = -torch.log1p(-p_own.clamp_max(1 - _EPS)).mean()
        optimizer_step(self.opt_g, g_critic + self.classifier_weight * g_classifier)
        return {
            "critic": -wasserstein.detach(),
            "gradient_penalty": gp.detach(),
            "classifier": c_loss.detach(),
            "generator_critic": g_critic.detach(),
            "generator_classifier": g_classifier.detach(),
            "max_weight": weights.detach().max(1).values.mean(),
            "spread": self._spread_ratio(fake.detach(), labels),
        }

    def _spread_ratio(self, fake, labels):
        """Mean distance of fakes to their class's anchor mean, over the same for anchors.

        1 means as spread as the real rows; near 0 means collapse on the mean.
        """
        K = self.data.n_classes
        onehot = F.one_hot(self.anchor_class, K).float()
        centres = (onehot.T @ self.anchors) / onehot.sum(0).clamp_min(1)[:, None]
        real_spread = torch.zeros(K, device=fake.device).index_add_(
            0, self.anchor_class, (self.anchors - centres[self.anchor_class]).norm(dim=1)
        ) / onehot.sum(0).clamp_min(1)
        fake_dist = (fake - centres[labels]).norm(dim=1)
        return (fake_dist / real_spread[labels].clamp_min(_EPS)).mean()

    # --- generation -----------------------------------------------------------

    @torch.no_grad()
    def generate(self, class_index, n, gen):
        """``n`` points of one class: standardised tensor and exact originals.

        The originals are the float64 convex combinations of the raw anchor
        rows, so they lie in the class's hull up to rounding of the input.
        """
        labels = torch.full((n,), class_index, dtype=torch.long, device=self.anchors.device)
        own = (self.anchor_class == class_index).nonzero().flatten()
        _, weights = self.fake(labels, gen)
        w = weights[:, own].double()
        w /= w.sum(1, keepdim=True)
        original = w.cpu().numpy() @ self.anchors_original[own.cpu().numpy()]
        return (w @ self.anchors[own].double()).float(), original

    @torch.no_grad()
    def predict_proba(self, Z):
        """C's class probabilities for standardised points."""
        return torch.softmax(self.classifier(Z), dim=1)

    def release_training_data(self):
        super().release_training_data()
        self.anchor_of_row = None
        self.opt_ae = self.opt_g = self.opt_d = self.opt_c = None

    def to(self, device):
        super().to(device)
        for name in ("anchors", "anchor_sqnorm", "anchor_class", "latent_mean", "latent_chol"):
            if hasattr(self, name):
                setattr(self, name, getattr(self, name).to(device))
        return self
