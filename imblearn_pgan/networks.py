"""The networks of Polarity-GAN (§4, Fig. 5): G = P∘Q, D, C and the autoencoder.

All work on standardised feature vectors. The generator never outputs
coordinates: it outputs softmax weights over a class's training rows (the
anchors), so every point it makes is a convex combination of them (eq. 3).
"""

import torch
from torch import nn

__all__ = [
    "AnchorAttention",
    "Autoencoder",
    "Classifier",
    "ConvexHullGenerator",
    "Critic",
    "Encoder",
    "PseudoSpaceMap",
    "mlp",
]


def mlp(sizes, *, final_activation=False):
    """Linear layers with LeakyReLU between them (no BatchNorm: it breaks the GP)."""
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(n_in, n_out))
        if final_activation or i < len(sizes) - 2:
            layers.append(nn.LeakyReLU(0.2))
    return nn.Sequential(*layers)


class Encoder(nn.Module):
    """Autoencoder encoder E: a row to the latent space (no class input)."""

    def __init__(self, n_features, hidden_dim, latent_dim):
        super().__init__()
        self.net = mlp([n_features, hidden_dim, latent_dim])

    def forward(self, x):
        return self.net(x)


class PseudoSpaceMap(nn.Module):
    """Q: a latent code (noise conditioned on the class) to the pseudo space."""

    def __init__(self, latent_dim, hidden_dim, pseudo_dim):
        super().__init__()
        self.net = mlp([latent_dim, hidden_dim, pseudo_dim], final_activation=True)

    def forward(self, z):
        return self.net(z)


class AnchorAttention(nn.Module):
    """P: the pseudo space to softmax weights over anchors.

    P maps a pseudo-space vector to a query point ``q`` in feature space; the
    weight of anchor ``x_j`` is ``softmax_j(-||q - x_j||^2 / tau)`` with a
    learned temperature ``tau``. The anchors are an input, not parameters, so
    the same P serves any class (mask the others) and any number of rows.
    """

    def __init__(self, pseudo_dim, n_features, temperature=1.0):
        super().__init__()
        self.query = nn.Linear(pseudo_dim, n_features)
        self.log_temperature = nn.Parameter(torch.tensor(float(temperature)).log())

    def forward(self, h, anchors, anchor_sqnorm, mask=None):
        q = self.query(h)
        # ||q||^2 is constant along j, so it drops out of the softmax.
        logits = (2.0 * q @ anchors.T - anchor_sqnorm) / self.log_temperature.exp()
        if mask is not None:
            logits = logits.masked_fill(~mask, float("-inf"))
        return torch.softmax(logits, dim=1)

    def support_weights(self, h, support):
        """Weights of each query over its own few anchors, ``support`` (B, m, d).

        The temperature is relative to the support's own spread (the mean
        squared distance of its rows to their centre), so that a query between
        far-apart rows mixes them as much as one between near rows does.
        """
        q = self.query(h)
        d2 = (q[:, None, :] - support).pow(2).sum(-1)
        spread = (support - support.mean(1, keepdim=True)).pow(2).sum(-1).mean(1, keepdim=True)
        return torch.softmax(-d2 / (self.log_temperature.exp() * spread.clamp_min(1e-8)), dim=1)


class ConvexHullGenerator(nn.Module):
    """G(z|k) = sum_j softmax(P(Q(z|k)))_j x_j over class k's anchors (eq. 3)."""

    def __init__(self, latent_dim, hidden_dim, pseudo_dim, n_features, temperature=1.0):
        super().__init__()
        self.Q = PseudoSpaceMap(latent_dim, hidden_dim, pseudo_dim)
        self.P = AnchorAttention(pseudo_dim, n_features, temperature)

    def weights(self, z, anchors, anchor_sqnorm, mask=None):
        return self.P(self.Q(z), anchors, anchor_sqnorm, mask)

    def forward(self, z, anchors, anchor_sqnorm, mask=None):
        return self.weights(z, anchors, anchor_sqnorm, mask) @ anchors

    def support_weights(self, z, support):
        """Weights over per-point supports ``(B, m, d)`` instead of all anchors."""
        return self.P.support_weights(self.Q(z), support)


class Autoencoder(nn.Module):
    """E followed by the generator as decoder (§4: same topology as G).

    Trained unconditionally on all rows, each rebuilt as a convex combination
    of the anchors; the temperature stays fixed meanwhile, so the decoder
    learns to aim its query at the row and blend it with its neighbours.
    """

    def __init__(self, encoder, generator):
        super().__init__()
        self.encoder = encoder
        self.decoder = generator

    def forward(self, x, anchors, anchor_sqnorm, mask=None):
        return self.decoder(self.encoder(x), anchors, anchor_sqnorm, mask)


class Critic(nn.Module):
    """D(x|k): class-conditional Wasserstein critic, one linear head per class."""

    def __init__(self, n_features, hidden_dim, n_classes):
        super().__init__()
        self.net = mlp([n_features, hidden_dim, hidden_dim, n_classes])

    def forward(self, x, labels):
        return self.net(x).gather(1, labels[:, None]).squeeze(1)


class Classifier(nn.Module):
    """C: logits over all classes, trained on real and generated rows (eq. 6)."""

    def __init__(self, n_features, hidden_dim, n_classes):
        super().__init__()
        self.net = mlp([n_features, hidden_dim, hidden_dim, n_classes])

    def forward(self, x):
        return self.net(x)
