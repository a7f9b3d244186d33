"""Quickstart: P-GAN in an imbalanced-learn Pipeline, next to SMOTE.

Run with ``python examples/quickstart.py`` (a few seconds on an idle 2-core CPU).
"""

from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, f1_score

from imblearn_pgan import PolarityGANSampler
from imblearn_pgan.datasets import load_default_benchmark_data

# Digits made long-tailed (140 ... 6 rows per class) with a balanced test set.
data = load_default_benchmark_data(random_state=0)

for name, sampler in [
    ("SMOTE", SMOTE(random_state=0)),
    ("P-GAN", PolarityGANSampler(random_state=0)),
]:
    pipe = Pipeline([("sampler", sampler), ("clf", LogisticRegression(max_iter=2000))])
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
