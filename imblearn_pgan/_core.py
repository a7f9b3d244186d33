"""The training core shared by P-GAN and the GAN baselines.

Everything that is not a network or a loss lives here: device resolution,
seeding without touching the global RNG, the class-aware training data on the
device, the gradient penalty, and the loop with its progress bar, history and
divergence check. A GAN plugs in as a :class:`GANModel`.
"""

import contextlib
import math
import threading
from abc import ABC, abstractmethod
import time

import numpy as np
import torch
from tqdm.auto import tqdm

__all__ = ["GANModel", "SpreadMeter", "TrainingData", "TrainingDivergedError", "train"]


class TrainingDivergedError(FloatingPointError):
    """A loss became NaN or infinite during training."""


def resolve_device(device):
    """Turn the ``device`` parameter into a :class:`torch.device`."""
    if isinstance(device, torch.device):
        resolved = device
    elif device == "auto":
        resolved = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    else:
        try:
            resolved = torch.device(device)
        except (RuntimeError, TypeError) as exc:
            raise ValueError(
                f"device={device!r} is not understood; use 'auto', 'cpu', 'cuda', "
                "'cuda:N' or a torch.device."
            ) from exc
    if resolved.type not in ("cpu", "cuda"):
        raise ValueError(f"device={device!r}: only CPU and CUDA devices are supported.")
    if resolved.type == "cuda":
        if not torch.cuda.is_available():
            raise ValueError(
                f"device={device!r} asks for CUDA, but torch sees no CUDA device; "
                "use device='cpu' or 'auto'."
            )
        if resolved.index is not None and resolved.index >= torch.cuda.device_count():
            raise ValueError(
                f"device={device!r}: only {torch.cuda.device_count()} CUDA device(s) exist."
            )
    return resolved


def derive_seed(random_state):
    """An integer seed from ``random_state`` that leaves global RNGs alone.

    ``None`` takes fresh entropy from the operating system; a ``RandomState``
    gives one draw (and advances); an int is the seed itself.
    """
    if random_state is None:
        return int(np.random.SeedSequence().generate_state(1)[0])
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(np.iinfo(np.int32).max))
    return int(random_state)


# The default initialisers draw from torch's one global CPU generator: fits
# running in threads of one process (Dask's threaded workers) take turns.
_INIT_LOCK = threading.RLock()


@contextlib.contextmanager
def seeded_init(seed):
    """Build modules with seeded default initialisers, restoring the CPU RNG after.

    Modules are built on the CPU, so only the CPU generator needs guarding; a
    process-wide lock keeps concurrent fits in threads from seeding each
    other's networks.
    """
    with _INIT_LOCK, torch.random.fork_rng(devices=[]):
        # Not torch.manual_seed: it would also reseed every CUDA generator,
        # which fork_rng(devices=[]) does not restore.
        torch.default_generator.manual_seed(seed)
        yield


_THREADS_LOCK = threading.Lock()
# The caller's thread setting, then one entry per fit inside torch_threads.
_THREADS_USERS = []


@contextlib.contextmanager
def torch_threads(n):
    """Run with ``n`` intra-op threads of torch, restoring the caller's setting.

    ``None`` leaves the setting alone. The setting is per process: concurrent
    fits in threads of one process share it.
    """
    if n is None:
        yield
        return
    # Counted: with fits in several threads, the caller's setting comes back
    # when the last one ends, not while another still runs on ``n`` threads.
    with _THREADS_LOCK:
        if not _THREADS_USERS:
            _THREADS_USERS.append(torch.get_num_threads())
            torch.set_num_threads(n)
        _THREADS_USERS.append(n)
    try:
        yield
    finally:
        with _THREADS_LOCK:
            _THREADS_USERS.pop()
            if len(_THREADS_USERS) == 1:
                torch.set_num_threads(_THREADS_USERS.pop())


#: Rows of a class that the networks train on at most: a larger class is
#: represented by a random sample of this size (``BaseGANSampler._training_sample``
#: and the Dask path). A default fit draws about ``n_iter * (2 n_critic + 1) *
#: batch_size`` = 128,000 rows with replacement over all classes, so a larger
#: sample would change little; the anchors are at most 512 rows per class anyway.
TRAINING_ROWS_PER_CLASS = 16384

#: Fits on more rows than this are large: their work comes in large blocks. P-GAN
#: draws each point's anchors one at a time (``polarity.sequential_positions``)
#: instead of as the smallest of a random key per anchor of the class, and
#: ``n_threads="auto"`` generates on torch's own thread setting instead of one
#: thread. Smaller fits keep the key draw, the random stream of every seeded
#: result published at those sizes, and one thread, the faster on small blocks.
LARGE_FIT_ROWS = 2**17

#: Rows converted at once where a step walks over all of X: bounds the float64
#: temporaries (64 MiB at 128 features). Data up to this size is done in one piece.
ROW_CHUNK = 65536


def row_chunks(n):
    """Slices of ``ROW_CHUNK`` rows covering ``range(n)``."""
    return [slice(start, min(start + ROW_CHUNK, n)) for start in range(0, n, ROW_CHUNK)]


def standardisation(X):
    """Column means and scales of ``X``, safe from overflow at any magnitude.

    Columns are divided by their largest absolute value first, so that
    squares of values near the float range (1e160 and up) stay finite.
    Constant columns get scale 1. Large ``X`` is read in row chunks, so that
    no float64 copy of it is made (float32 input stays float32).
    """
    chunks = row_chunks(X.shape[0])
    if len(chunks) == 1:
        # In one piece, as before chunking: the same bits for data of this size.
        X = np.asarray(X, dtype=np.float64)
        peak = np.abs(X).max(axis=0)
        peak = np.where(peak > 0, peak, 1.0)
        unit = X / peak
        mean, scale = unit.mean(axis=0) * peak, unit.std(axis=0) * peak
        return mean, np.where(scale > 0, scale, 1.0)
    peak = np.max([np.abs(X[c]).max(axis=0) for c in chunks], axis=0).astype(np.float64)
    peak = np.where(peak > 0, peak, 1.0)
    total = sum(np.sum(np.asarray(X[c], dtype=np.float64) / peak, axis=0) for c in chunks)
    unit_mean = total / X.shape[0]
    squares = sum(np.sum((np.asarray(X[c], dtype=np.float64) / peak - unit_mean) ** 2, axis=0)
                  for c in chunks)
    mean, scale = unit_mean * peak, np.sqrt(squares / X.shape[0]) * peak
    return mean, np.where(scale > 0, scale, 1.0)


def standardised_tensor(X, mean, scale, device):
    """``(X - mean) / scale`` as float32 on ``device``, converted a row chunk at a time."""
    out = torch.empty(X.shape, dtype=torch.float32)
    for c in row_chunks(X.shape[0]):
        out[c] = torch.from_numpy((np.asarray(X[c], dtype=np.float64) - mean) / scale)
    return out.to(device)


def format_label(label):
    """A class label as messages show it: ``0``, not numpy 2's ``np.int64(0)``.

    >>> import numpy as np
    >>> from imblearn_pgan._core import format_label
    >>> format_label(np.int64(0)), format_label(np.str_("cat")), format_label(2)
    ('0', "'cat'", '2')
    """
    return repr(label.item() if isinstance(label, np.generic) else label)


def make_generator(seed, device):
    return torch.Generator(device=device).manual_seed(seed)


class TrainingData:
    """Standardised rows and labels on the device, with per-class sampling.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Finite float rows.
    y_index : ndarray of shape (n_samples,)
        Class index of each row in ``0 .. n_classes - 1``.
    n_classes : int
        Number of classes.
    n_new : ndarray of shape (n_classes,)
        Rows to generate per class; the fake labels of Algorithm 1 (step 6)
        are drawn in proportion to it.
    device : torch.device
        Where the tensors live.
    columns : ColumnLayout or None, default=None
        How the columns of a mixed-type table were encoded into ``X``
        (:mod:`imblearn_pgan._columns`); None for an all-continuous table.
    population : tuple or None, default=None
        When ``X`` is a class-wise sample of larger data (classes of more than
        ``TRAINING_ROWS_PER_CLASS`` rows, or Dask input):
        ``(class_counts, mean, scale)`` of the whole data. Rows are then
        standardised with the whole data's statistics, and
        :meth:`sample_any` draws classes in the whole data's proportions.
    """

    def __init__(self, X, y_index, n_classes, n_new, device, columns=None, population=None):
        self.device = device
        self.columns = columns
        self.n_classes = n_classes
        self.n_features = X.shape[1]
        if population is None:
            self.mean, self.scale = standardisation(X)
            self.population = None
        else:
            counts, self.mean, self.scale = population
            self.population = torch.as_tensor(counts, dtype=torch.float32, device=device)
        self.X = standardised_tensor(X, self.mean, self.scale, device)
        self.y = torch.as_tensor(y_index, dtype=torch.long).to(device)
        counts = np.bincount(y_index, minlength=n_classes)
        self.n_population = len(y_index) if population is None else int(np.sum(population[0]))
        self.large = self.n_population > LARGE_FIT_ROWS
        self.counts = torch.as_tensor(counts, device=device)
        self.offsets = torch.as_tensor(np.r_[0, np.cumsum(counts)[:-1]], device=device)
        self.rows_by_class = torch.as_tensor(np.argsort(y_index, kind="stable"), device=device)
        self.n_new = torch.as_tensor(n_new, dtype=torch.float32, device=device)
        self.targets = torch.nonzero(self.n_new > 0).flatten()

    def __len__(self):
        return self.X.shape[0]

    def rows_of(self, k):
        """Row indices of class ``k``."""
        start = int(self.offsets[k])
        return self.rows_by_class[start : start + int(self.counts[k])]

    def sample_rows(self, labels, rng):
        """One random row of each requested class, uniformly within the class."""
        u = torch.rand(labels.shape[0], generator=rng, device=self.device)
        pos = self.offsets[labels] + (u * self.counts[labels]).long().clamp_max(
            self.counts[labels] - 1
        )
        return self.rows_by_class[pos]

    def sample_any(self, n, rng):
        """``n`` rows drawn uniformly from all rows (the imbalanced data).

        From a class-wise sample: a class in the whole data's proportions,
        then a row of it.
        """
        if self.population is not None:
            labels = torch.multinomial(self.population, n, replacement=True, generator=rng)
            return self.sample_rows(labels, rng)
        return torch.randint(len(self), (n,), generator=rng, device=self.device)

    def sample_fake_labels(self, n, rng):
        """Algorithm 1, step 6: classes drawn in proportion to ``p_K - p_k``.

        ``n_new`` is exactly the count each class is short of under
        ``sampling_strategy='auto'``, and generalises it to any strategy.
        """
        return torch.multinomial(self.n_new, n, replacement=True, generator=rng)

    def sample_uniform_targets(self, n, rng):
        """Algorithm 1, step 9: the minority classes with equal probability."""
        pick = torch.randint(len(self.targets), (n,), generator=rng, device=self.device)
        return self.targets[pick]


class SpreadMeter:
    """The ``spread`` diagnostic of ``history_``, from class statistics computed once.

    Mean distance of generated rows to their class's mean, over the same for
    the real rows: 1 means as spread as the real rows, near 0 means collapse.
    """

    def __init__(self, data):
        counts = data.counts.clamp_min(1).to(data.X.dtype)
        centres = torch.zeros(data.n_classes, data.n_features, device=data.device)
        self.centres = centres.index_add_(0, data.y, data.X) / counts[:, None]
        dist = torch.cat([(data.X[c] - self.centres[data.y[c]]).norm(dim=1)
                          for c in row_chunks(len(data.X))])
        spread = torch.zeros(data.n_classes, device=data.device).index_add_(0, data.y, dist)
        self.real_spread = (spread / counts).clamp_min(1e-6)

    def __call__(self, fake, labels):
        dist = (fake.detach() - self.centres[labels]).norm(dim=1)
        return (dist / self.real_spread[labels]).mean()


def critic_terms(critic, real, fake, labels, rng):
    """Wasserstein estimate and WGAN-GP penalty (Gulrajani et al. 2017) in one pass.

    Real, fake and same-class interpolated rows (weights uniform on [0, 1])
    go through the critic as one batch: one larger pass costs less than
    three small ones. A batch of one row works.

    Returns
    -------
    wasserstein, penalty : torch.Tensor
        ``mean D(real) - mean D(fake)`` and ``mean (||grad D(mixed)|| - 1)^2``.
    """
    n = real.shape[0]
    eps = torch.rand(n, 1, generator=rng, device=real.device)
    mixed = (eps * real + (1.0 - eps) * fake).requires_grad_(True)
    scores = critic(torch.cat([real, fake, mixed]), labels.repeat(3))
    on_real, on_fake, on_mixed = scores.split(n)
    (grad,) = torch.autograd.grad(on_mixed.sum(), mixed, create_graph=True)
    penalty = ((grad.norm(2, dim=1) - 1.0) ** 2).mean()
    return on_real.mean() - on_fake.mean(), penalty


def check_betas(betas, name):
    """Adam needs two betas in [0, 1) (the parameter constraints check the type only)."""
    if len(betas) != 2 or not all(0 <= b < 1 for b in betas):
        raise ValueError(f"{name} must be two floats in [0, 1), got {betas!r}.")


def adam(modules, learning_rate, betas, *, exclude=()):
    """Adam over the modules' parameters (but ``exclude``), one fused kernel per step.

    Fused on the CPU as on CUDA: the default per-tensor Adam took about a quarter of a
    P-GAN step on the CPU.
    """
    params = [p for m in modules for p in m.parameters() if all(p is not e for e in exclude)]
    return torch.optim.Adam(params, lr=learning_rate, betas=betas, fused=True)


def optimizer_step(optimizer, loss):
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()


class GANModel(ABC):
    """What a GAN contributes to the core: networks, stages and generation.

    Subclasses set ``self.networks`` (name to module) and implement
    :meth:`stages` and :meth:`generate`. Each stage step returns a dict of
    scalar loss tensors; the core syncs them with the host only when logging.
    """

    networks: dict

    @abstractmethod
    def stages(self):
        """List of ``(name, n_steps, step_fn)``; ``step_fn(step)`` returns losses."""

    @abstractmethod
    def generate(self, class_index, n, rng):
        """``n`` points of class ``class_index``, drawn with the torch generator ``rng``.

        Returns
        -------
        Z : torch.Tensor of shape (n, n_features)
            The points, standardised, on the model's device.
        original : ndarray of shape (n, n_features)
            The same points in the input space (float64).
        """

    def release_training_data(self):
        """Drop what only training needs, so that the fitted model pickles small.

        The random generator ``rng`` and the spread meter go too: CUDA ones
        would not unpickle without CUDA.
        """
        self.data = self.rng = self.spread = None

    def train_mode(self, training):
        for net in self.networks.values():
            net.train(training)

    def to(self, device):
        for net in self.networks.values():
            net.to(device)
        return self


def train(model, *, log_every, verbose, desc):
    """Run every stage of ``model``; return the history (a list of dicts).

    Raises
    ------
    TrainingDivergedError
        As soon as a logged loss is NaN or infinite.
    """
    history = []
    start = time.perf_counter()
    model.train_mode(True)
    for stage, n_steps, step_fn in model.stages():
        bar = tqdm(range(n_steps), desc=f"{desc} [{stage}]", disable=not verbose, leave=False,
                   ncols=80)
        for step in bar:
            losses = step_fn(step)
            if (step + 1) % log_every and step + 1 != n_steps:
                continue
            record = {name: float(value) for name, value in losses.items()}
            bad = [name for name, value in record.items() if not math.isfinite(value)]
            if bad:
                raise TrainingDivergedError(
                    f"{desc} diverged in stage {stage!r} at step {step + 1}: "
                    f"{', '.join(bad)} became {record[bad[0]]}. Lower learning_rate, "
                    "raise gradient_penalty, or standardise extreme features; no "
                    "rows were generated."
                )
            record.update(stage=stage, step=step + 1, elapsed_s=time.perf_counter() - start)
            history.append(record)
            # The first loss only: the bar stays one short line.
            first = next(iter(losses), None)
            if first is not None:
                bar.set_postfix_str(f"{first} {record[first]:.3g}")
    model.train_mode(False)
    return history


def stage_seconds(history):
    """Seconds spent in each stage, in order, from the history's ``elapsed_s``."""
    ends = {}
    for record in history:
        ends[record["stage"]] = record["elapsed_s"]
    seconds, previous = {}, 0.0
    for stage, end in ends.items():
        seconds[stage], previous = end - previous, end
    return seconds
