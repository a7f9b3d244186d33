"""Quickstart: P-GAN in an imbalanced-learn Pipeline, next to SMOTE.

Run with ``python examples/quickstart.py``.
"""

from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, f1_score
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from imblearn_pgan import PolarityGANSampler
from imblearn_pgan.datasets import load_default_benchmark_data

# Small models: one BLAS/OpenMP thread is the fastest, and many times faster on a busy machine.
threadpool_limits(1)

# Digits made long-tailed (140 ... 6 rows per class) with a balanced test set.
data = load_default_benchmark_data(random_state=0)

for name, sampler in [
    ("SMOTE", SMOTE(random_state=0)),
    ("P-GAN", PolarityGANSampler(random_state=0)),
]:
    pipe = Pipeline([("scale", StandardScaler()), ("sampler", sampler),
                     ("clf", LogisticRegression(max_iter=2000))])
    pipe.fit(data.X_train, data.y_train)
    pred = pipe.predict(data.X_test)
    print(
        f"{name:6s} macro-F1 {f1_score(data.y_test, pred, average='macro'):.3f}  "
        f"balanced accuracy {balanced_accuracy_score(data.y_test, pred):.3f}"
    )

# The fitted sampler keeps its networks (on the CPU) and can draw more rows.
sampler = pipe.named_steps["sampler"]
print("loss records:", len(sampler.history_), "| device:", sampler.device_)
print("5 more rows of the rarest class:", sampler.sample(5, class_label=9, random_state=0).shape)
