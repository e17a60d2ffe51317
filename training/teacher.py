"""Soft targets from an ensemble of trained runs, for distilling it into one network (train.py --teacher).

For every face of the training split (never validation or test), the runs' EMA weights each give
logits averaged over the face and its whole mirror image (as train.py validates); the runs' logits
are averaged and turned into probabilities at --temperature. The file holds the split's row indices
and those probabilities, plus the ensemble's validation accuracy for the record.

    /usr/bin/python3 teacher.py --runs s2gpu0 s2gpu1 s2gpu2 --temperature 1 --out runs/teacher-s2gpu-t1.npz
"""
from __future__ import annotations

import argparse
import json
import os

import numpy as np
import torch

import fer_data
from export import softmax
from train import load_ema, predict_logits

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", nargs="+", required=True, help="run names under runs/ (their best.pt) or checkpoint paths")
    p.add_argument("--temperature", type=float, default=2.0)
    p.add_argument("--data", default=fer_data.DEFAULT_DATA_DIR)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    if args.temperature <= 0:
        raise SystemExit("--temperature must be positive")
    if args.threads > 0:
        torch.set_num_threads(args.threads)

    data = fer_data.load(args.data)
    sp = fer_data.splits(data)
    tr, va = sp["train"], sp["val"]
    train_logits, val_logits, members = 0.0, 0.0, []
    for run in args.runs:
        path = run if run.endswith(".pt") else os.path.join(HERE, "runs", run, "best.pt")
        if not os.path.exists(path):
            raise SystemExit(f"{path}: no such checkpoint")
        model = load_ema(path)
        lt = predict_logits(model, data.images[tr], "cpu")
        lv = predict_logits(model, data.images[va], "cpu")
        members.append({"run": run, "val_acc": float((lv.argmax(1) == data.labels[va]).mean()),
                        "train_acc": float((lt.argmax(1) == data.labels[tr]).mean())})
        print(json.dumps(members[-1]), flush=True)
        train_logits = train_logits + lt / len(args.runs)
        val_logits = val_logits + lv / len(args.runs)

    probs = softmax(train_logits / args.temperature).astype(np.float32)
    summary = {
        "runs": members,
        "temperature": args.temperature,
        "ensemble_val_acc": float((val_logits.argmax(1) == data.labels[va]).mean()),
        "ensemble_train_acc": float((train_logits.argmax(1) == data.labels[tr]).mean()),
        "mean_top_prob": float(probs.max(1).mean()),
    }
    np.savez_compressed(args.out, index=tr.astype(np.int64), probs=probs, summary=json.dumps(summary))
    print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()
