"""FER2013 (+ FER+ votes) loading, the stratified validation split, and soft targets.

Preprocessing contract (shared with src/engine/fer/preprocess.ts): a face is a 48x48
greyscale picture, bytes 0..255, fed to the network as x = byte / 255 (no mean/std
normalisation; the network's first layer absorbs it).
"""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass

import numpy as np

CLASSES = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]
# FER+ vote columns in FER2013 class order (contempt, unknown and not-a-face are ignored).
FERPLUS_COLUMNS = [
    "ferplus_anger",
    "ferplus_disgust",
    "ferplus_fear",
    "ferplus_happiness",
    "ferplus_sadness",
    "ferplus_surprise",
    "ferplus_neutral",
]
DEFAULT_DATA_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "datasets", "fer2013")


@dataclass
class FerData:
    images: np.ndarray  # (N, 48, 48) uint8
    labels: np.ndarray  # (N,) int64, FER2013 label, -1 when absent
    usage: np.ndarray  # (N,) str
    votes: np.ndarray  # (N, 7) float32 FER+ votes in FER2013 order, zeros when absent
    low_quality: np.ndarray  # (N,) bool, the jpeg-filtered pictures


def load(data_dir: str = DEFAULT_DATA_DIR) -> FerData:
    images_path = os.path.join(data_dir, "images.u8")
    meta_path = os.path.join(data_dir, "meta.csv")
    images = np.fromfile(images_path, np.uint8)
    if images.size % 2304:
        raise ValueError(f"{images_path}: size {images.size} is not a multiple of 48*48")
    images = images.reshape(-1, 48, 48)
    labels, usage, votes, low = [], [], [], []
    with open(meta_path, newline="") as f:
        for row in csv.DictReader(f):
            labels.append(int(row["emotion"]) if row.get("emotion", "") != "" else -1)
            usage.append(row.get("usage", ""))
            votes.append([float(row.get(c) or 0) for c in FERPLUS_COLUMNS])
            low.append(row.get("pixels", "png") != "png")
    if len(labels) != len(images):
        raise ValueError(f"{meta_path} has {len(labels)} rows but images.u8 has {len(images)} pictures")
    return FerData(
        images=images,
        labels=np.asarray(labels, np.int64),
        usage=np.asarray(usage),
        votes=np.asarray(votes, np.float32),
        low_quality=np.asarray(low, bool),
    )


def stratified_split(labels: np.ndarray, fraction: float = 0.1, seed: int = 2013) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, val) of a stratified split of `labels` with a fixed seed."""
    rng = np.random.RandomState(seed)
    train, val = [], []
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        rng.shuffle(idx)
        n_val = int(round(len(idx) * fraction))
        val.append(idx[:n_val])
        train.append(idx[n_val:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(val))


def labelled_training(data: FerData) -> np.ndarray:
    """Absolute picture indices of the labelled Training pictures, in file order."""
    return np.flatnonzero((data.usage == "Training") & (data.labels >= 0))


def splits(data: FerData, val_fraction: float = 0.1, seed: int = 2013) -> dict[str, np.ndarray]:
    """Absolute picture indices of train / val (carved from Training) and PublicTest."""
    training = labelled_training(data)
    tr, va = stratified_split(data.labels[training], val_fraction, seed)
    public = np.flatnonzero((data.usage == "PublicTest") & (data.labels >= 0))
    return {"train": training[tr], "val": training[va], "public": public}


def soft_targets(labels: np.ndarray, votes: np.ndarray, ferplus_weight: float, smoothing: float) -> np.ndarray:
    """Per-picture target distribution: (1-w) * smoothed one-hot FER2013 label + w * FER+ vote share.

    Pictures without FER+ votes (or with no vote in the seven classes) keep the smoothed one-hot.
    """
    n, k = len(labels), len(CLASSES)
    onehot = np.full((n, k), smoothing / k, np.float32)
    onehot[np.arange(n), labels] += 1.0 - smoothing
    total = votes.sum(1, keepdims=True)
    has = total[:, 0] > 0
    share = np.where(has[:, None], votes / np.maximum(total, 1), onehot)
    return ((1 - ferplus_weight) * onehot + ferplus_weight * share).astype(np.float32)


if __name__ == "__main__":
    # `python3 fer_data.py validation-positions`: the validation split as positions among the labelled
    # Training pictures in file order, one JSON list (for scripts/pipeline-accuracy.ts --usage Validation)
    import json
    import sys

    if sys.argv[1:] != ["validation-positions"]:
        raise SystemExit("usage: fer_data.py validation-positions")
    d = load()
    print(json.dumps(np.searchsorted(labelled_training(d), splits(d)["val"]).tolist()))
