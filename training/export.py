"""Export a trained checkpoint for the browser: batch-norm folded into the convolutions, weights as
float16 in models/fer-resnet/ (model.json + weights.bin), the temperature fitted on validation,
and parity fixtures (validation faces and their PyTorch logits) for the TypeScript tests.

The weights file is read by src/engine/fer/model.ts, which mirrors FerResNet op for op:
conv(3x3, pad 1) + bias, ReLU, residual add, global average pool, linear.

Run: /usr/bin/python3 training/export.py --checkpoint training/runs/main/best.pt
"""
from __future__ import annotations

import argparse
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

import fer_data
from model import BasicBlock, FerResNet, count_macs, count_params
from train import parse_view, test_view

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "models", "fer-resnet")
FIXTURES = os.path.join(HERE, "..", "tests", "fixtures", "fer-parity.json")


def fold(conv: torch.nn.Conv2d, bn: torch.nn.BatchNorm2d) -> tuple[np.ndarray, np.ndarray]:
    """Conv weight (out,in,kh,kw) and bias with the batch norm (eval statistics) folded in."""
    scale = bn.weight.detach() / torch.sqrt(bn.running_var + bn.eps)
    w = conv.weight.detach() * scale[:, None, None, None]
    b = bn.bias.detach() - bn.running_mean * scale
    if conv.bias is not None:
        b = b + conv.bias.detach() * scale
    return w.numpy().astype(np.float32), b.numpy().astype(np.float32)


class Folded(torch.nn.Module):
    """The folded network in PyTorch: the reference the TypeScript model must match."""

    def __init__(self, layers: list[dict], fc: tuple[np.ndarray, np.ndarray]):
        super().__init__()
        self.layers = layers
        self.fc_w = torch.from_numpy(fc[0])
        self.fc_b = torch.from_numpy(fc[1])

    @staticmethod
    def conv(x, p):
        return F.conv2d(x, torch.from_numpy(p["w"]), torch.from_numpy(p["b"]), stride=p["stride"], padding=p["pad"])

    def forward(self, x):
        for layer in self.layers:
            if layer["kind"] == "stem":
                x = F.relu(self.conv(x, layer["conv"]))
            else:
                out = F.relu(self.conv(x, layer["conv1"]))
                out = self.conv(out, layer["conv2"])
                skip = x if layer.get("shortcut") is None else self.conv(x, layer["shortcut"])
                x = F.relu(out + skip)
        x = x.mean(dim=(2, 3))
        return x @ self.fc_w.T + self.fc_b


def fold_model(model: FerResNet) -> Folded:
    def pack(conv, bn):
        w, b = fold(conv, bn)
        return {"w": w, "b": b, "stride": conv.stride[0], "pad": conv.padding[0]}

    layers = [{"kind": "stem", "conv": pack(model.stem[0], model.stem[1])}]
    for block in model.blocks:
        assert isinstance(block, BasicBlock)
        layers.append({
            "kind": "block",
            "conv1": pack(block.conv1, block.bn1),
            "conv2": pack(block.conv2, block.bn2),
            "shortcut": None if block.shortcut is None else pack(block.shortcut[0], block.shortcut[1]),
        })
    return Folded(layers, (model.fc.weight.detach().numpy(), model.fc.bias.detach().numpy()))


@torch.no_grad()
def logits_of(net, images_u8: np.ndarray, flip: bool, mirror_crop: int = 48, view: str = "full") -> np.ndarray:
    """Logits of the faces as the network sees them (view: train.test_view); with flip, the
    test-time augmentation the extension runs (src/engine/fer/classifier.ts): the mean of the whole
    face's logits and those of the centre mirror_crop x mirror_crop window of its mirror image."""
    out = []
    o = (48 - mirror_crop) // 2
    for i in range(0, len(images_u8), 256):
        x = torch.from_numpy(images_u8[i:i + 256]).float().div(255.0).unsqueeze(1)
        y = net(test_view(x, view))
        if flip:
            y = (y + net(torch.flip(x, dims=[3])[..., o:o + mirror_crop, o:o + mirror_crop])) / 2
        out.append(y.numpy())
    return np.concatenate(out)


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """The temperature minimising validation NLL (golden-section search on log T)."""
    lt = torch.from_numpy(logits)
    y = torch.from_numpy(labels)

    def nll(log_t: float) -> float:
        return float(F.cross_entropy(lt / np.exp(log_t), y))

    lo, hi = np.log(0.3), np.log(5.0)
    g = (np.sqrt(5) - 1) / 2
    a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    for _ in range(60):
        if nll(a) < nll(b):
            hi = b
        else:
            lo = a
        a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    return float(np.exp((lo + hi) / 2))


def ece(probs: np.ndarray, labels: np.ndarray, bins: int = 15) -> float:
    conf = probs.max(1)
    correct = probs.argmax(1) == labels
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            total += m.mean() * abs(correct[m].mean() - conf[m].mean())
    return float(total)


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--data", default=fer_data.DEFAULT_DATA_DIR)
    p.add_argument("--dtype", choices=["float16", "float32"], default="float16")
    p.add_argument("--fixtures", type=int, default=16)
    p.add_argument("--out", default=OUT, help="model folder; the parity fixtures are written only for the shipped one "
                                              "(models/fer-resnet), so a candidate can be exported beside it")
    p.add_argument("--mirror-crop", type=int, default=40,
                   help="the mirror image's pass sees its centre window of this size (48 = the whole face; "
                        "40 = the training window, chosen on validation: training/val_checks.py); "
                        "0 = no mirror pass, the face is run once")
    args = p.parse_args(argv)
    if not (args.mirror_crop == 0 or (8 <= args.mirror_crop <= 48 and args.mirror_crop % 2 == 0)):
        raise SystemExit("--mirror-crop must be 0 (no mirror pass) or an even number of pixels from 8 to 48")
    mc = args.mirror_crop
    flip = mc > 0
    state = torch.load(args.checkpoint, map_location="cpu", weights_only=False)
    view = state.get("args", {}).get("view", "full")  # what the network saw of a face in training
    view_kind, view_size = parse_view(view)
    if flip and view_kind != "full":
        raise SystemExit(f"a mirror pass is defined for whole faces only; this run's view is {view}: pass --mirror-crop 0")
    out = os.path.abspath(args.out)
    shipping = out == os.path.abspath(OUT)
    cfg = state["cfg"]
    model = FerResNet(widths=cfg["widths"], depths=cfg["depths"], dropout=cfg["dropout"])
    model.load_state_dict(state["ema"])
    model.eval()
    folded = fold_model(model)

    data = fer_data.load(args.data)
    sp = fer_data.splits(data)
    val_x, val_y = data.images[sp["val"]], data.labels[sp["val"]]

    # the folded network must compute what the trained one does
    ref = logits_of(model, val_x[:64], flip=False)
    got = logits_of(folded, val_x[:64], flip=False)
    fold_err = float(np.abs(ref - got).max())
    assert fold_err < 1e-3, f"folding changed the logits by {fold_err}"

    # validation accuracy at full precision, to weigh what the shipped precision costs
    val_acc_float32 = float((logits_of(folded, val_x, flip=flip, mirror_crop=mc, view=view).argmax(1) == val_y).mean())

    # weights, in the order model.ts reads them
    tensors, blobs, offset = [], [], 0
    np_dtype = np.float16 if args.dtype == "float16" else np.float32

    def add(name: str, arr: np.ndarray):
        nonlocal offset
        data_bytes = arr.astype(np_dtype).tobytes()
        tensors.append({"name": name, "shape": list(arr.shape), "offset": offset, "length": len(data_bytes)})
        blobs.append(data_bytes)
        offset += len(data_bytes)

    def quantised(arr: np.ndarray) -> np.ndarray:
        return arr.astype(np_dtype).astype(np.float32)

    layers_spec = []
    for i, layer in enumerate(folded.layers):
        convs = {k: v for k, v in layer.items() if k != "kind" and v is not None}
        spec = {"kind": layer["kind"], "convs": {}}
        for key, conv in convs.items():
            add(f"l{i}.{key}.w", conv["w"])
            add(f"l{i}.{key}.b", conv["b"])
            spec["convs"][key] = {"stride": conv["stride"], "pad": conv["pad"]}
            conv["w"], conv["b"] = quantised(conv["w"]), quantised(conv["b"])  # the reference uses the shipped precision
        layers_spec.append(spec)
    add("fc.w", folded.fc_w.numpy())
    add("fc.b", folded.fc_b.numpy())
    folded.fc_w = torch.from_numpy(quantised(folded.fc_w.numpy()))
    folded.fc_b = torch.from_numpy(quantised(folded.fc_b.numpy()))

    val_logits = logits_of(folded, val_x, flip=flip, mirror_crop=mc, view=view)
    temperature = fit_temperature(val_logits, val_y)
    val_probs = softmax(val_logits / temperature)
    report = {
        "val_acc": float((val_logits.argmax(1) == val_y).mean()),  # at the shipped precision (args.dtype)
        "val_acc_float32": val_acc_float32,
        "val_ece_before": ece(softmax(val_logits), val_y),
        "val_ece_after": ece(val_probs, val_y),
        "temperature": temperature,
        "fold_max_abs_err": fold_err,
    }

    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "weights.bin"), "wb") as f:
        for b in blobs:
            f.write(b)
    manifest = {
        "format": "moodlens-fer-resnet/1",
        "classes": fer_data.CLASSES,
        "input": {"size": 48, "channels": 1, "scale": "byte / 255", "layout": "NHWC"},
        "view": {"kind": view_kind, "size": view_size},
        "testTimeAugmentation": ("none: one pass on the face" if not flip else
                                 f"mean of the logits of the whole face and of the centre {mc}x{mc} window of its mirror image"
                                 if mc < 48 else "mean of the logits of the face and its mirror image"),
        "mirrorCrop": mc if flip else None,
        "temperature": temperature,
        "dtype": args.dtype,
        "architecture": {"widths": cfg["widths"], "depths": cfg["depths"], "layers": layers_spec},
        "params": count_params(model),
        # as the extension runs it: the whole face, then the mirror image's window
        "macsPerFace": count_macs(model, size=view_size) + (count_macs(model, size=mc) if flip else 0),
        "macsPerPass": count_macs(model, size=view_size),
        "weights": {"file": "weights.bin", "bytes": offset, "tensors": tensors},
        "source": {"checkpoint": os.path.relpath(args.checkpoint, os.path.join(HERE, "..")), "epoch": state.get("epoch"),
                   "val_acc_checkpoint": state.get("val_acc"), **({"teacher": state["args"]["teacher"]}
                                                                  if state.get("args", {}).get("teacher") else {})},
        "validation": report,
    }
    with open(os.path.join(out, "model.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(json.dumps({k: manifest[k] for k in ("params", "macsPerFace", "mirrorCrop", "temperature", "validation")}, indent=1))
    if not shipping:
        print(f"wrote {out}/model.json, weights.bin ({offset} bytes); no parity fixtures (not the shipped folder)")
        return

    # parity fixtures: faces from the validation split, spread over the classes
    rng = np.random.RandomState(7)
    pick = rng.choice(len(val_x), size=args.fixtures, replace=False)
    faces = val_x[pick]
    fixtures = {
        "note": "pictures of the validation split (indices into ../shared/datasets/fer2013/images.u8, whose faces "
                "scripts/fer-faces-fixture.ts copies into fer2013-faces.u8) and the folded PyTorch logits at the shipped precision",
        "indices": sp["val"][pick].tolist(),
        "labels": val_y[pick].tolist(),
        "logits": logits_of(folded, faces, flip=False, view=view).tolist(),
        "logits_flip_averaged": logits_of(folded, faces, flip=flip, mirror_crop=mc, view=view).tolist(),
    }
    with open(FIXTURES, "w") as f:
        json.dump(fixtures, f)
    print(f"wrote {out}/model.json, weights.bin ({offset} bytes), {FIXTURES}")
    print("then copy the parity faces for the tests: npx tsx scripts/fer-faces-fixture.ts")


if __name__ == "__main__":
    main()
