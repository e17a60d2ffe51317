"""Carries the training data to a lent GPU machine (the `device` tool sends the repository, at most
64 MiB, and not ../shared). `pack` writes FER2013's Training pictures (xz, with a delta filter; the
PublicTest pictures stay behind: they are only evaluated, here) and their meta.csv rows to .gpu/
(ignored by git, named in the run's `carry`); `unpack` restores a directory that fer_data.load reads.

    /usr/bin/python3 training/gpu/pack.py pack            # here, once
    python3 training/gpu/pack.py unpack --to /tmp/fer2013  # there (training/gpu/run.sh does it)
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import lzma
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PACK_DIR = os.path.join(REPO, ".gpu")
FACE = 48 * 48
FILTERS = [{"id": lzma.FILTER_DELTA, "dist": 1}, {"id": lzma.FILTER_LZMA2, "preset": 9}]


def pack(data_dir: str, out_dir: str) -> None:
    with open(os.path.join(data_dir, "meta.csv"), newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    usage = header.index("usage")
    n = 0
    while n < len(body) and body[n][usage] == "Training":
        n += 1
    if any(r[usage] == "Training" for r in body[n:]):
        raise SystemExit("the Training pictures are not one block at the start of meta.csv")
    with open(os.path.join(data_dir, "images.u8"), "rb") as f:
        images = f.read(n * FACE)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "images-training.u8.xz"), "wb") as f:
        f.write(lzma.compress(images, format=lzma.FORMAT_XZ, filters=FILTERS))
    with open(os.path.join(data_dir, "meta.csv"), "rb") as f:
        lines = f.read().splitlines(keepends=True)  # the header and the Training rows, byte for byte
    with open(os.path.join(out_dir, "meta-training.csv"), "wb") as f:
        f.writelines(lines[: n + 1])
    with open(os.path.join(out_dir, "images-training.sha256"), "w") as f:
        f.write(hashlib.sha256(images).hexdigest() + "\n")
    size = sum(os.path.getsize(os.path.join(out_dir, p)) for p in os.listdir(out_dir))
    print(f"{n} Training pictures packed into {out_dir}: {size / 2**20:.1f} MiB")


def unpack(pack_dir: str, to: str) -> None:
    with open(os.path.join(pack_dir, "images-training.u8.xz"), "rb") as f:
        images = lzma.decompress(f.read())
    with open(os.path.join(pack_dir, "images-training.sha256")) as f:
        if hashlib.sha256(images).hexdigest() != f.read().strip():
            raise SystemExit("the unpacked pictures do not match their checksum")
    os.makedirs(to, exist_ok=True)
    with open(os.path.join(to, "images.u8"), "wb") as f:
        f.write(images)
    with open(os.path.join(pack_dir, "meta-training.csv"), "rb") as src, open(os.path.join(to, "meta.csv"), "wb") as dst:
        dst.write(src.read())
    print(f"{len(images) // FACE} pictures unpacked to {to}")


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["pack", "unpack"])
    p.add_argument("--data", default=os.path.join(REPO, "..", "shared", "datasets", "fer2013"))
    p.add_argument("--pack-dir", default=PACK_DIR)
    p.add_argument("--to", default="/tmp/fer2013")
    args = p.parse_args(argv)
    if args.mode == "pack":
        pack(args.data, args.pack_dir)
    else:
        unpack(args.pack_dir, args.to)


if __name__ == "__main__":
    sys.exit(main())
