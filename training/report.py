"""Figures for the model card (models/card/): training and validation curves from a run's log.csv,
and a grid of PublicTest faces with their true and predicted labels, the predictions being those
of the shipped model as the extension runs it (npm run evaluate -- ... --predictions FILE).

Run: /usr/bin/python3 training/report.py --run training/runs/gpu2 training/runs/s2gpu2 --predictions /tmp/public.csv
"""
from __future__ import annotations

import argparse
import csv
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import fer_data  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CARD = os.path.join(HERE, "..", "models", "card")


def curves(run_dirs: list[str], out: str) -> None:
    """The runs' logs one after another (a second stage continues the first one's epochs)."""
    rows, starts = [], []
    for run_dir in run_dirs:
        with open(os.path.join(run_dir, "log.csv")) as f:
            starts.append((len(rows), os.path.basename(os.path.normpath(run_dir))))
            rows += list(csv.DictReader(f))
    ep = list(range(1, len(rows) + 1))
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.6))
    a.plot(ep, [float(r["train_loss"]) for r in rows], label="train (soft targets, augmented)")
    a.plot(ep, [float(r["val_loss"]) for r in rows], label="validation (FER2013 labels)")
    a.set_xlabel("epoch"); a.set_ylabel("cross-entropy"); a.legend(); a.grid(alpha=0.3)
    b.plot(ep, [float(r["train_acc"]) for r in rows], label="train (augmented)")
    b.plot(ep, [float(r["val_acc"]) for r in rows], label="validation, with mirror averaging")
    b.plot(ep, [float(r["val_acc_noflip"]) for r in rows], label="validation, single view", alpha=0.6)
    b.set_xlabel("epoch"); b.set_ylabel("accuracy"); b.legend(); b.grid(alpha=0.3)
    for start, name in starts[1:]:
        for ax in (a, b):
            ax.axvline(start + 0.5, color="grey", linestyle="--", linewidth=0.8)
        b.text(start + 1, b.get_ylim()[0] + 0.01, f"stage {name}", fontsize=7, color="grey")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print(f"wrote {out}")


def grid(predictions: str, out: str, n: int = 40, seed: int = 3) -> None:
    data = fer_data.load()
    public = fer_data.splits(data)["public"]
    with open(predictions) as f:
        rows = list(csv.DictReader(f))
    if len(rows) != len(public):
        raise SystemExit(f"{predictions} has {len(rows)} rows; PublicTest has {len(public)}: evaluate with --usage PublicTest")
    rng = np.random.RandomState(seed)
    pick = np.sort(rng.choice(len(rows), n, replace=False))
    cols = 8
    fig, axes = plt.subplots(n // cols, cols, figsize=(cols * 1.45, n // cols * 1.75))
    for ax, i in zip(axes.flat, pick):
        r = rows[i]
        true, pred = int(r["label"]), int(r["predicted"])
        ax.imshow(data.images[public[i]], cmap="gray", vmin=0, vmax=255)
        ax.set_title(f"{fer_data.CLASSES[true]}\n→ {fer_data.CLASSES[pred]}", fontsize=7,
                     color="darkgreen" if true == pred else "darkred")
        ax.axis("off")
    fig.suptitle("PublicTest faces: true label → predicted (green right, red wrong)", fontsize=9)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print(f"wrote {out}")


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--run", nargs="+", default=[os.path.join(HERE, "runs", "main"), os.path.join(HERE, "runs", "long")],
                   help="run folders whose logs make the curves, in training order")
    p.add_argument("--predictions")
    args = p.parse_args()
    os.makedirs(CARD, exist_ok=True)
    curves(args.run, os.path.join(CARD, "curves.png"))
    if args.predictions:
        grid(args.predictions, os.path.join(CARD, "publictest-grid.png"))


if __name__ == "__main__":
    main()
