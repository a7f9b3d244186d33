"""Algorithm 1 of the Polarity-GAN paper: autoencoder start, then C, D and G.

The game of eq. 4, ``min_G max_D max_C V`` with ``V`` the sum of eq. 5's
term (Wasserstein, class-conditional, with gradient penalty) and eq. 6's
(cross-entropy of C, which G plays against), lives here; the loop itself is
the shared core in :mod:`imblearn_pgan._core`.
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

__all__ = ["PolarityGAN", "auto_width", "effective_anchors", "schedule_steps"]


def select_anchors(data, max_anchors, rng):
    """At most ``max_anchors`` seeded rows per class, sorted by class."""
    picks = []
    for k in range(data.n_classes):
        rows = data.rows_of(k)
        if len(rows) > max_anchors:
            perm = torch.randperm(len(rows), generator=rng, device=rows.device)
            rows = rows[perm[:max_anchors]].sort().values
        picks.append(rows)
    return torch.cat(picks)


#: Nearest same-class anchors that a local support draws its other anchors from
#: (``support="local"``), as SMOTE's k_neighbors.
SUPPORT_NEIGHBOURS = 5


def sequential_positions(count, m, rng):
    """``m`` distinct uniform positions in ``range(count)`` per row, one at a time.

    The ``j``-th is uniform over the ``count - j`` positions not yet drawn:
    a uniform index among them, moved past each smaller drawn position in
    ascending order. Rows whose ``count`` is below ``m`` take all their
    positions, then repeat the last one, as the key draw does.

    Parameters
    ----------
    count : torch.Tensor of shape (n_rows,)
        Positions to draw from, per row (at least 1).
    m : int
        Positions per row.
    rng : torch.Generator

    Returns
    -------
    positions : torch.Tensor of shape (n_rows, m)

    Examples
    --------
    >>> import torch
    >>> from imblearn_pgan.polarity import sequential_positions
    >>> pos = sequential_positions(torch.tensor([5, 2]), 3, torch.Generator().manual_seed(0))
    >>> sorted(pos[0].tolist()) == sorted(set(pos[0].tolist())), pos[1].tolist()[2]
    (True, 1)
    """
    picks = []
    for j in range(m):
        left = (count - j).clamp_min(1)
        u = torch.rand(len(count), generator=rng, dtype=torch.float64, device=count.device)
        r = torch.minimum((u * left).long(), left - 1)
        if picks:
            for taken in torch.stack(picks, 1).sort(1).values.unbind(1):
                r += r >= taken
        picks.append(torch.where(count > j, r, count - 1))
    return torch.stack(picks, 1)


def flat_dirichlet(shape, rng, device):
    """Flat Dirichlet(1) weights over the last axis: normalised exponential draws.

    ``rand()`` can return 0, so ``-log(1 - u)``, never infinite.
    """
    mix = -torch.log1p(-torch.rand(shape, generator=rng, device=device))
    return mix / mix.sum(-1, keepdim=True)


def anchor_neighbours(anchors, slices, k=SUPPORT_NEIGHBOURS):
    """Each anchor's ``k`` nearest anchors of its own class, as anchor indices.

    A class with ``k`` anchors or fewer lists all its others (each anchor
    itself when alone), repeated to fill the ``k`` columns.

    Parameters
    ----------
    anchors : torch.Tensor of shape (n_anchors, n_features)
        Sorted by class.
    slices : list of slice
        Each class's block of ``anchors``.
    k : int, default=SUPPORT_NEIGHBOURS

    Returns
    -------
    neighbours : torch.Tensor of shape (n_anchors, k)
        Nearest first.
    """
    blocks = []
    for own in slices:
        block = anchors[own]
        n = len(block)
        if n == 0:
            continue
        if n == 1:
            blocks.append(torch.full((1, k), own.start, dtype=torch.long, device=anchors.device))
            continue
        d2 = torch.cdist(block, block).fill_diagonal_(float("inf"))
        near = d2.topk(min(k, n - 1), dim=1, largest=False).indices
        blocks.append(own.start + near.repeat(1, -(-k // near.shape[1]))[:, :k])
    return torch.cat(blocks)


#: The most steps the size of the data asks for; the floor per class can ask more.
SIZE_STEPS = 200


def schedule_steps(n_samples, n_classes=2):
    """Steps of each training stage for ``n_samples`` rows under ``"auto"``.

    A tenth of the rows within [50, 200], and at least 20 per class up to
    500: a 300-row two-class table gets 50 autoencoder and 50 GAN steps,
    1,234 rows 123, 2,000 rows or more 200; ten classes get at least 200,
    since G's batches are shared among the classes it oversamples. The cap of
    200 keeps a 5,000-row table under 10 s on one CPU thread; it was 500,
    which scored a little better on the largest KEEL sets (see
    :doc:`experiment log </experiment_log>`, entry 9).

    Parameters
    ----------
    n_samples : int
        Rows given to ``fit_resample``.
    n_classes : int, default=2
        Classes in ``y``.

    Returns
    -------
    steps : int
        ``n_iter`` and ``autoencoder_steps`` when they are ``"auto"``.

    Examples
    --------
    >>> from imblearn_pgan.polarity import schedule_steps
    >>> schedule_steps(300), schedule_steps(1234), schedule_steps(1_000_000)
    (50, 123, 200)
    >>> schedule_steps(500, n_classes=10), schedule_steps(900, n_classes=40)
    (200, 500)
    """
    return int(min(500, max(50, min(SIZE_STEPS, n_samples // 10), 20 * n_classes)))


#: Below this many rows P-GAN's networks are half as wide under ``hidden_dim="auto"``.
SMALL_DATA_ROWS = 1000


def auto_width(n_samples):
    """``hidden_dim`` for ``n_samples`` rows under ``"auto"``.

    128 below :data:`SMALL_DATA_ROWS` rows, where it kept P-GAN's G-mean on
    both halves of the KEEL dev list at half the fit time; from there on 256,
    the width that images and large tables were measured with. Narrower
    networks, smaller batches and fewer updates cost quality on small data
    (see the :doc:`experiment log </experiment_log>`, entries 25 to 31).

    Parameters
    ----------
    n_samples : int
        Rows given to ``fit_resample``.

    Returns
    -------
    hidden_dim : int

    Examples
    --------
    >>> from imblearn_pgan.polarity import auto_width
    >>> auto_width(300), auto_width(17_400)
    (128, 256)
    """
    return 128 if n_samples < SMALL_DATA_ROWS else 256


def effective_anchors(w):
    """``1 / sum_j w_j^2`` per row: how many anchors a point mixes in effect.

    Parameters
    ----------
    w : torch.Tensor of shape (n_points, n_anchors)
        Convex weights (rows sum to one).

    Returns
    -------
    count : torch.Tensor of shape (n_points,)
        1 for a copy of one row, ``m`` for equal weights on ``m`` rows.

    Examples
    --------
    >>> import torch
    >>> from imblearn_pgan.polarity import effective_anchors
    >>> effective_anchors(torch.tensor([[1.0, 0.0], [0.5, 0.5]]))
    tensor([1., 2.])
    """
    return 1.0 / w.pow(2).sum(-1)


def log_not_own_class(logits, labels):
    """``log(1 - C(x)_k)`` from logits, exact where C is sure (no saturation)."""
    others = logits.scatter(1, labels[:, None], float("-inf"))
    return torch.logsumexp(others, 1) - torch.logsumexp(logits, 1)


class PolarityGAN(GANModel):
    """P-GAN's networks and losses (§4, Algorithm 1, eq. 3–6).

    The first keyword arguments are :class:`~imblearn_pgan.PolarityGANSampler`'s
    (``n_iter`` to ``n_anchors``) and the keys of its ``gan_params`` that
    concern the networks (:data:`~imblearn_pgan.sampler.GAN_PARAMS`). The
    others are measured alternatives and the end-to-end classifier's choices:

    - ``support``: ``"random"`` anchors from anywhere in the class, or
      ``"local"``, a random seed anchor and its nearest class anchors
      (:data:`SUPPORT_NEIGHBOURS`), as SMOTE pairs a row with a neighbour.
    - ``dirichlet_share``: share of the output points' weights taken from
      the Dirichlet draw that seeds G's latent input, the rest from G
      (``(1 - s) w_G + s w_Dirichlet`` on the same anchors); 1 is flat
      Dirichlet weights, with training and C's selection unchanged. The
      ablation rows ``pgan-dirichlet`` and ``pgan-half-dirichlet``.
    - ``critic_share``: share of the candidate pool that D drops before C's
      selection, those it scores lowest under their class's head (the pool
      grows so that C still chooses from as many): ``pgan-critic-filter``.
    - ``hard_training``: with categorical or discrete columns, whether G's
      training rows are made hard as the output rows are (:meth:`harden`).
      Off: on the dev tables the soft training rows gave output rows that
      were harder to tell from real ones and scored better downstream
      (``benchmarks/categorical_training.py``, variant ``straight-through``).
    - ``fake_weight``: weight of C's loss on G's points against real rows
      (steps 4 and 7); ``logit_offset``: added to C's logits in its loss
      only (logit adjustment); ``real_row_loss``: C's loss on real rows
      (None: cross-entropy); ``classifier_head``: a callable that reshapes
      C before its optimizer is built (called with C and ``seed``). The
      end-to-end :class:`~imblearn_pgan.PolarityGANClassifier` sets them.
    """

    def __init__(
        self,
        data,
        X_source,
        rng,
        seed,
        *,
        n_iter,
        batch_size,
        hidden_dim,
        classifier_weight,
        autoencoder_steps,
        n_anchors,
        latent_dim,
        pseudo_dim,
        learning_rate,
        betas,
        n_critic,
        gradient_penalty,
        autoencoder_learning_rate,
        max_anchors,
        latent_noise,
        support_temperature,
        support="random",
        dirichlet_share=0.0,
        critic_share=0.0,
        hard_training=False,
        fake_weight=1.0,
        logit_offset=None,
        real_row_loss=None,
        classifier_head=None,
    ):
        self.rng = rng
        self.n_anchors = n_anchors
        self.support = support
        self.n_iter, self.batch_size = n_iter, batch_size
        self.n_critic, self.gp_weight = n_critic, gradient_penalty
        self.classifier_weight = classifier_weight
        self.autoencoder_steps = autoencoder_steps
        self.latent_noise = latent_noise
        # Dirichlet weights alone: G's weights are not computed at generation.
        self.generator_weights = dirichlet_share < 1
        self.dirichlet_share = dirichlet_share if dirichlet_share < 1 else 0.0
        self.critic_share, self.hard_training = critic_share, hard_training
        self.fake_weight, self.logit_offset = fake_weight, logit_offset
        self.real_row_loss = real_row_loss
        self.sequential_draw = data.large
        # Draw weights of the anchors at generation (None: uniform); weigh_anchors sets them.
        self.anchor_draw_weight = None
        self.n_classes = data.n_classes
        # Class blocks need the block sizes on the host: free on the CPU only.
        self.grouped = data.device.type == "cpu"
        self._choose_anchors(data, X_source, max_anchors)
        self._prepare_columns(data)
        self._build_networks(data, seed, hidden_dim, latent_dim, pseudo_dim,
                             support_temperature, classifier_head)
        self.to(data.device)
        self._build_optimizers(learning_rate, autoencoder_learning_rate, betas)
        self.anchor_codes = torch.zeros(len(self.anchor_rows), latent_dim, device=data.device)
        self.code_scale = torch.zeros(data.n_classes, latent_dim, device=data.device)

    def _choose_anchors(self, data, X_source, max_anchors):
        """The anchor rows per class, their class blocks and their coordinates."""
        self.anchor_rows = select_anchors(data, max_anchors, self.rng)
        self.anchor_class = data.y[self.anchor_rows]
        self.anchor_count = torch.bincount(self.anchor_class, minlength=data.n_classes)
        self.anchor_start = torch.cumsum(self.anchor_count, 0) - self.anchor_count
        bounds = np.r_[0, np.cumsum(self.anchor_count.tolist())]
        self.anchor_slices = [slice(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:])]
        self.refresh(data, X_source)

    def _prepare_columns(self, data):
        """Which columns a point copies from one anchor, and which it rounds."""
        self.columns = data.columns
        if self.columns is None:
            return
        if not self.n_anchors:
            raise ValueError("Categorical and discrete columns need n_anchors (an int): "
                             "their values are taken from one of a point's few anchors.")
        device = data.device
        self.pick_cols = torch.as_tensor(self.columns.picked, device=device)
        self.pick_group = torch.as_tensor(self.columns.pick_group, device=device)
        rounded = self.columns.rounded
        self.round_cols = torch.as_tensor(rounded, device=device)
        self.round_mean = torch.as_tensor(self.mean[rounded], dtype=torch.float32, device=device)
        self.round_scale = torch.as_tensor(self.scale[rounded], dtype=torch.float32,
                                           device=device)

    def _build_networks(self, data, seed, hidden_dim, latent_dim, pseudo_dim,
                        support_temperature, classifier_head):
        """G (Q then P), the autoencoder around it, D and C, seeded; C reshaped if asked."""
        with seeded_init(seed):
            encoder = Encoder(data.n_features, hidden_dim, latent_dim)
            self.generator = ConvexHullGenerator(
                latent_dim, hidden_dim, pseudo_dim, data.n_features,
                temperature=(support_temperature if self.n_anchors else
                             self._initial_temperature()),
            )
            self.autoencoder = Autoencoder(encoder, self.generator)
            self.critic = Critic(data.n_features, hidden_dim, data.n_classes)
            self.classifier = Classifier(data.n_features, hidden_dim, data.n_classes)
        if classifier_head is not None:
            classifier_head(self.classifier, seed)
        self.networks = {
            "autoencoder": self.autoencoder,
            "generator": self.generator,
            "critic": self.critic,
            "classifier": self.classifier,
        }

    def _build_optimizers(self, learning_rate, autoencoder_learning_rate, betas):
        # The temperature stays at its data-driven start while pre-training:
        # rebuilding rows that are anchors themselves would drive it to 0 (copies).
        self.opt_ae = adam([self.autoencoder], autoencoder_learning_rate, betas,
                           exclude=[self.generator.P.log_temperature])
        # With a few anchors per point the temperature is the mixing prior: G
        # moves its query, not the temperature (learnt, it drifts to copies).
        self.opt_g = adam([self.generator], learning_rate, betas,
                          exclude=[self.generator.P.log_temperature] if self.n_anchors else ())
        # D and C have disjoint parameters and per-parameter Adam: one optimizer,
        # one backward of the summed losses is the same update as two.
        self.opt_dc = adam([self.critic, self.classifier], learning_rate, betas)

    def refresh(self, data, X_source):
        """Point the model at new features of the same rows (Algorithm 1's F changed).

        The anchors stay the same rows; their coordinates follow the data.
        """
        self.data, self.mean, self.scale = data, data.mean, data.scale
        self.spread = SpreadMeter(data)
        self.anchors = data.X[self.anchor_rows]
        self.anchor_sqnorm = (self.anchors**2).sum(1)
        if self.support == "local":
            self.neighbours = anchor_neighbours(self.anchors, self.anchor_slices)
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
            # Steps 3–12: the inner loop, j = n_iter.
            ("gan", self.n_iter, self.gan_step),
        ]

    # --- §4 "Autoencoder training": all rows, no labels ----------------------

    def autoencoder_step(self, step):
        rows = self.data.sample_any(self.batch_size, self.rng)
        x = self.data.X[rows]
        if self.n_anchors:
            # Rebuild each row from itself and other rows of its class.
            picks, _ = self.draw_support(self.data.y[rows], self.rng, self.n_anchors - 1)
            support = torch.cat([x[:, None], self.anchors[picks]], 1)
            w = self.generator.support_weights(self.autoencoder.encoder(x), support)
            rebuilt = (w[..., None] * support).sum(1)
        else:
            rebuilt = self.autoencoder(x, self.anchors, self.anchor_sqnorm)
        loss = F.mse_loss(rebuilt, x)
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

    # --- Algorithm 1, steps 4–11: one iteration of the inner loop ------------

    def draw_support(self, labels, rng, m):
        """``m`` distinct random anchors of each row's class and Dirichlet(1) weights.

        Returns anchor indices ``(B, m)`` and mixing weights ``(B, m)``; a
        class with fewer than ``m`` anchors repeats some. Large fits draw
        the anchors one at a time (:data:`~imblearn_pgan._core.LARGE_FIT_ROWS`).
        """
        count, most = self.anchor_count[labels], int(self.anchor_count.max())
        m = min(m, most)
        if self.sequential_draw:
            pos = sequential_positions(count, m, rng)
        else:
            keys = torch.rand(len(labels), most, generator=rng, device=labels.device)
            keys = keys.masked_fill(torch.arange(most, device=labels.device) >= count[:, None],
                                    2.0)
            pos = keys.topk(m, dim=1, largest=False).indices
            pos = torch.minimum(pos, count[:, None] - 1)
        return (self.anchor_start[labels][:, None] + pos,
                flat_dirichlet(pos.shape, rng, labels.device))

    def draw_local_support(self, labels, rng, m):
        """A random seed anchor of each row's class and ``m - 1`` of its nearest
        same-class anchors (:data:`SUPPORT_NEIGHBOURS`), with Dirichlet(1) weights.

        As SMOTE mixes a row with one of its neighbours, a point stays near one
        place of its class instead of between its modes.
        """
        count = self.anchor_count[labels]
        pos = (torch.rand(len(labels), generator=rng, device=labels.device) * count).long()
        seed = self.anchor_start[labels] + torch.minimum(pos, count - 1)
        keys = torch.rand(len(labels), self.neighbours.shape[1], generator=rng,
                          device=labels.device)
        near = keys.topk(min(m - 1, keys.shape[1]), dim=1, largest=False).indices
        support = torch.cat([seed[:, None], self.neighbours[seed[:, None], near]], 1)
        return support, flat_dirichlet(support.shape, rng, labels.device)

    def draw_point_support(self, labels, rng):
        """Each point's ``n_anchors`` anchors and Dirichlet weights, as ``support`` says.

        Once :meth:`weigh_anchors` has set draw weights (after training), a
        random support draws its anchors with them, without replacement.
        """
        if self.anchor_draw_weight is not None and self.support == "random":
            return self.draw_weighted_support(labels, rng, self.n_anchors)
        draw = self.draw_local_support if self.support == "local" else self.draw_support
        return draw(labels, rng, self.n_anchors)

    def draw_weighted_support(self, labels, rng, m):
        """``m`` distinct anchors of each row's class drawn with :attr:`anchor_draw_weight`
        (successive draws without replacement), and Dirichlet(1) weights."""
        picks = []
        for k in labels.unique(sorted=True).tolist():
            own = self.anchor_slices[k]
            rows = labels == k
            p = self.anchor_draw_weight[own].expand(int(rows.sum()), -1)
            pos = torch.multinomial(p, min(m, p.shape[1]), replacement=False, generator=rng)
            picks.append(own.start + pos)
        support = torch.cat(picks)
        if support.shape[1] < m:  # a class with fewer than m anchors repeats its last
            support = torch.cat([support, support[:, -1:].expand(-1, m - support.shape[1])], 1)
        return support, flat_dirichlet(support.shape, rng, labels.device)

    @torch.no_grad()
    def weigh_anchors(self, rule, measure):
        """Set how the output points draw their anchors, from C's view of each anchor.

        ``"uncertain"``: in proportion to C's uncertainty on the anchor
        (``measure`` of its probabilities) plus a tenth of the class's mean,
        so the rows C finds hard seed more points, as ProWSyn weighs rows by
        their nearness to the other class. ``"confident"``: in proportion to
        C's probability of the anchor's own class, so the rows C puts in
        another class (noise, to SMOTE-IPF) seed few. ``"uniform"``: equally.
        """
        if rule == "uniform":
            self.anchor_draw_weight = None
            return
        proba = self.predict_proba(self.anchors).double()
        if rule == "uncertain":
            u = torch.as_tensor(measure(proba.cpu().numpy()), device=proba.device)
        else:
            u = proba.gather(1, self.anchor_class[:, None]).squeeze(1)
        weight = torch.empty_like(u)
        for own in self.anchor_slices:
            block = u[own] + (0.1 * u[own].mean() if rule == "uncertain" else 0.0)
            total = block.sum()
            weight[own] = block / total if total > 0 else 1.0 / max(len(block), 1)
        self.anchor_draw_weight = weight.float()

    def sample_latent(self, labels, rng, support=None, mix=None):
        if support is None:
            support, mix = self.draw_support(labels, rng, 1)
        base = (mix[..., None] * self.anchor_codes[support]).sum(1)
        eps = torch.randn(len(labels), self.anchor_codes.shape[1], generator=rng,
                          device=labels.device)
        return base + self.latent_noise * self.code_scale[labels] * eps

    def mix_weights(self, labels, rng, dirichlet_share=0.0):
        """Support mode: each point's anchors and G's weights over them.

        ``dirichlet_share`` blends in the Dirichlet weights drawn for G's
        latent input (see :attr:`dirichlet_share`).
        """
        support, mix = self.draw_point_support(labels, rng)
        z = self.sample_latent(labels, rng, support, mix)
        w = self.generator.support_weights(z, self.anchors[support])
        if dirichlet_share:
            w = (1 - dirichlet_share) * w + dirichlet_share * mix
        return support, w

    def pick_anchors(self, w, rng):
        """For each point and column group, the position of the anchor it copies.

        Drawn with G's weights: an anchor G weighs twice as much gives its
        category twice as often.
        """
        return torch.multinomial(w.detach(), self.columns.n_groups, replacement=True,
                                 generator=rng)

    def harden(self, points, support, w, rng):
        """G's points with hard categorical, flag and count columns, straight through.

        Each categorical column (its one-hot block), each two-valued column
        and, with ``discrete_values="anchor"``, each count column takes the
        values of one of the point's anchors, drawn by :meth:`pick_anchors`;
        other integer columns are rounded. The forward pass is the hard row,
        so D cannot tell G's rows by soft one-hot entries that real rows
        never have; the backward pass is that of the convex mix, so G still
        learns its weights (a straight-through estimator).
        """
        hard = points.detach().clone()
        if self.columns.n_groups:
            position = self.pick_anchors(w, rng)[:, self.pick_group]
            picked = self.anchors[support][:, :, self.pick_cols]
            hard[:, self.pick_cols] = picked.gather(1, position[:, None, :]).squeeze(1)
        if len(self.round_cols):
            raw = hard[:, self.round_cols] * self.round_scale + self.round_mean
            hard[:, self.round_cols] = (raw.round() - self.round_mean) / self.round_scale
        return points + (hard - points.detach())

    def fake(self, labels, rng):
        """G(z|k) over each row's own class anchors; ``labels`` must be sorted.

        Returns the points and their anchor weights' largest entry and
        effective number of anchors.
        """
        if self.n_anchors:
            support, w = self.mix_weights(labels, rng)
            points = (w[..., None] * self.anchors[support]).sum(1)
            if self.columns is not None and self.hard_training:
                points = self.harden(points, support, w, rng)
            return points, w.max(1).values, effective_anchors(w)
        z = self.sample_latent(labels, rng)
        if not self.grouped:
            # One masked product over all anchors: no host sync inside the loop.
            mask = self.anchor_class[None, :] == labels[:, None]
            w = self.generator.weights(z, self.anchors, self.anchor_sqnorm, mask)
            return w @ self.anchors, w.max(1).values, effective_anchors(w)
        # On the CPU, class blocks cost sum_k b_k n_k instead of B N.
        sizes = torch.bincount(labels, minlength=self.n_classes).tolist()
        points, top, effective = [], [], []
        for k, zk in zip(range(self.n_classes), z.split(sizes)):
            if len(zk):
                w = self.class_weights(zk, k)
                points.append(w @ self.anchors[self.anchor_slices[k]])
                top.append(w.max(1).values)
                effective.append(effective_anchors(w))
        return torch.cat(points), torch.cat(top), torch.cat(effective)

    def class_weights(self, z, k):
        """Softmax weights of latent codes over the anchors of class ``k``."""
        own = self.anchor_slices[k]
        return self.generator.weights(z, self.anchors[own], self.anchor_sqnorm[own])

    def gan_step(self, step):
        """Steps 4–11: ``n_critic`` updates of C and D, then one of G."""
        data, rng, B = self.data, self.rng, self.batch_size
        for _ in range(self.n_critic):
            labels = data.sample_fake_labels(B, rng).sort().values  # step 6: ∝ p_K - p_k
            with torch.no_grad():
                fake = self.fake(labels, rng)[0]  # G(X'|Y'), X' drawn inside (step 5)
            real = data.X[data.sample_rows(labels, rng)]  # same classes as the fakes
            # Steps 4 and 7, critic: eq. 5 with a 1-Lipschitz penalty.
            wasserstein, gp = critic_terms(self.critic, real, fake, labels, rng)
            # Steps 4 and 7, classifier: eq. 6 on real rows and labelled fakes.
            rows = data.sample_any(B, rng)
            logits = self.classifier(torch.cat([data.X[rows], fake]))
            if self.logit_offset is not None:
                logits = logits + self.logit_offset
            real_loss = self.real_row_loss or F.cross_entropy
            c_loss = real_loss(logits[:B], data.y[rows]) + self.fake_weight * (
                F.cross_entropy(logits[B:], labels))
            # D and C ascend eq. 4's V = S_D + S_C (eq. 5 and 6) in one update.
            optimizer_step(self.opt_dc, -wasserstein + self.gp_weight * gp + c_loss)
        # Steps 8–9: X'' with labels Y'' drawn uniformly over the minority classes.
        labels = data.sample_uniform_targets(B, rng).sort().values
        fake, top_weight, effective = self.fake(labels, rng)
        # Steps 10–11: G descends eq. 4's V against C and D, both fixed, in one update.
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
            "effective_anchors": effective.detach().mean(),
            "spread": self.spread(fake, labels),
        }

    # --- generation -----------------------------------------------------------

    @torch.no_grad()
    def generate(self, class_index, n, rng, *, with_anchors=False):
        """``n`` points of one class: standardised tensor and exact originals.

        The originals are the float64 convex combinations of the raw anchor
        rows, so they lie in the class's hull up to rounding of the input.
        ``with_anchors`` adds each point's effective number of anchors (numpy).
        """
        labels = torch.full((n,), class_index, dtype=torch.long, device=self.anchors.device)
        if self.n_anchors:
            if self.generator_weights:
                support, w = self.mix_weights(labels, rng, self.dirichlet_share)
            else:
                support, w = self.draw_point_support(labels, rng)
            w = w.double()
            w /= w.sum(1, keepdim=True)
            support_rows = self.anchors_original[support.cpu().numpy()]
            original = np.einsum("bm,bmd->bd", w.cpu().numpy(), support_rows)
            if self.columns is None:
                Z = (w[..., None] * self.anchors[support].double()).sum(1)
            else:
                # The draws of harden, on the exact raw values.
                if self.columns.n_groups:
                    position = self.pick_anchors(w, rng).cpu().numpy()[:, self.columns.pick_group]
                    picked = support_rows[:, :, self.columns.picked]
                    original[:, self.columns.picked] = np.take_along_axis(
                        picked, position[:, None, :], axis=1)[:, 0]
                original[:, self.columns.rounded] = np.rint(original[:, self.columns.rounded])
                Z = torch.as_tensor((original - self.mean) / self.scale, device=w.device)
        else:
            own = self.anchor_slices[class_index]
            w = self.class_weights(self.sample_latent(labels, rng), class_index).double()
            w /= w.sum(1, keepdim=True)
            original = w.cpu().numpy() @ self.anchors_original[own]
            Z = w @ self.anchors[own].double()
        if with_anchors:
            return Z.float(), original, effective_anchors(w).cpu().numpy()
        return Z.float(), original

    @torch.no_grad()
    def critic_scores(self, Z, class_index):
        """D's score of standardised points under class ``class_index``'s head."""
        labels = torch.full((len(Z),), class_index, dtype=torch.long, device=Z.device)
        return self.critic(Z, labels)

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
                     "anchor_count", "anchor_start", "anchor_codes", "code_scale",
                     "pick_cols", "pick_group", "round_cols", "round_mean", "round_scale",
                     "neighbours", "logit_offset", "anchor_draw_weight"):
            if getattr(self, name, None) is not None:
                setattr(self, name, getattr(self, name).to(device))
        return self
