"""Test-time choices weighed on the validation split for a checkpoint (PublicTest is not read):
centre crops of the face instead of the whole 48x48 face (both passes cropped), the whole face with a
centre window of its mirror image (what the extension runs, with a 40-pixel window: export.py
--mirror-crop), and logit adjustment towards the training class frequencies (logits + tau * log p_c).

Run: /usr/bin/python3 training/val_checks.py --checkpoint training/runs/s2gpu2/best.pt
"""
from __future__ import annotations

import argparse

import numpy as np

import fer_data
import train
from model import count_macs


def macro_f1(pred: np.ndarray, y: np.ndarray, k: int = 7) -> float:
    f1 = []
    for c in range(k):
        tp = int(((pred == c) & (y == c)).sum())
        prec, rec = tp / max(1, int((pred == c).sum())), tp / max(1, int((y == c).sum()))
        f1.append(0.0 if tp == 0 else 2 * prec * rec / (prec + rec))
    return float(np.mean(f1))


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--data", default=fer_data.DEFAULT_DATA_DIR)
    p.add_argument("--threads", type=int, default=0)
    args = p.parse_args()
    train.set_threads(args.threads)
    model = train.load_ema(args.checkpoint)
    data = fer_data.load(args.data)
    sp = fer_data.splits(data)
    x, y = data.images[sp["val"]], data.labels[sp["val"]]
    prior = np.bincount(data.labels[sp["train"]], minlength=7) / len(sp["train"])

    print("crop  MACs/face (with mirror)  validation accuracy")
    whole = None
    for crop in (48, 46, 44, 42, 40):
        logits = train.predict_logits(model, x, "cpu", crop=crop)
        whole = logits if crop == 48 else whole
        macs = 2 * count_macs(model, size=crop) / 1e6  # the face and its mirror image
        print(f"{crop:4d}  {macs:8.0f} M  {(logits.argmax(1) == y).mean():.4f}")

    # what the extension runs: the whole face, plus a centre window of its mirror image
    single = train.predict_logits(model, x, "cpu", flip=False)
    mirrored = np.ascontiguousarray(x[:, :, ::-1])
    print("\nmirror window  MACs/face  validation accuracy   (whole face + centre window of its mirror image)")
    for crop in (48, 46, 44, 42, 40):
        mirror = train.predict_logits(model, mirrored, "cpu", crop=crop, flip=False)
        macs = (count_macs(model) + count_macs(model, size=crop)) / 1e6
        print(f"{crop:8d}     {macs:6.0f} M  {((single + mirror).argmax(1) == y).mean():.4f}")

    print("\ntau   accuracy  macro F1  disgust recall   (logits + tau * log p_c, whole face)")
    for tau in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0):
        pred = (whole + tau * np.log(prior)).argmax(1)
        disgust = ((pred == 1) & (y == 1)).sum() / (y == 1).sum()
        print(f"{tau:.1f}   {(pred == y).mean():.4f}    {macro_f1(pred, y):.4f}    {disgust:.3f}")


if __name__ == "__main__":
    main()
