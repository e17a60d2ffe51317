"""Moves a checkpoint between PyTorch versions: the GPU machine has PyTorch 2 and NumPy 2, the
build machine PyTorch 1.13 and NumPy 1. `to-npz` (there) writes the EMA weights as plain float32
arrays (.npz, no pickle) and the rest as JSON; `from-npz` (here) turns them back into a
checkpoint that export.py reads.

    python3 training/gpu/portable.py to-npz training/runs/gpu/best.pt $OUT/best.npz
    /usr/bin/python3 training/gpu/portable.py from-npz best.npz training/runs/gpu/best.pt
"""
from __future__ import annotations

import argparse
import json
import sys

import numpy as np
import torch


def plain(v):
    """JSON-safe copy of a checkpoint's metadata (NumPy and torch scalars become Python numbers)."""
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, (np.generic, torch.Tensor)):
        return v.item()
    return v


def to_npz(src: str, dst: str) -> None:
    state = torch.load(src, map_location="cpu", weights_only=False)
    arrays = {k: v.detach().float().cpu().numpy() for k, v in state["ema"].items() if v.is_floating_point()}
    ints = {k: v.detach().cpu().numpy().astype(np.int64) for k, v in state["ema"].items() if not v.is_floating_point()}
    meta = {k: plain(v) for k, v in state.items() if k != "ema"}
    meta["int_keys"] = sorted(ints)
    np.savez(dst, __meta__=np.frombuffer(json.dumps(meta).encode(), np.uint8), **arrays, **ints)
    print(f"{src} -> {dst}: {len(arrays)} float and {len(ints)} integer tensors, epoch {meta.get('epoch')}, "
          f"val_acc {meta.get('val_acc')}")


def from_npz(src: str, dst: str) -> None:
    z = np.load(src, allow_pickle=False)
    meta = json.loads(bytes(z["__meta__"]).decode())
    ints = set(meta.pop("int_keys"))
    ema = {k: torch.from_numpy(np.array(z[k])) for k in z.files if k != "__meta__"}
    for k in ints:
        ema[k] = ema[k].long()
    torch.save({**meta, "ema": ema}, dst)
    print(f"{src} -> {dst}: {len(ema)} tensors, epoch {meta.get('epoch')}, val_acc {meta.get('val_acc')}")


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["to-npz", "from-npz"])
    p.add_argument("src")
    p.add_argument("dst")
    args = p.parse_args(argv)
    (to_npz if args.mode == "to-npz" else from_npz)(args.src, args.dst)


if __name__ == "__main__":
    sys.exit(main())
