"""Distillation of the shipped model into a cheaper student (issue 16).

Two steps, both read the shipped weights (models/fer-resnet, batch norm folded, float16) and never
PublicTest:

  teacher  The shipped network under a wider test-time ensemble than the extension can afford:
           its logits averaged over the whole face, its mirror image and their centre windows.
           Every candidate ensemble is scored on the validation split beside the shipped two-pass
           one; the best becomes the teacher, and its probabilities for the training faces (never
           validation) go to an npz for train.py --teacher.
  prune    A student initialised from the shipped weights: the same ResNet with fewer channels.
           Each stage's residual channels are kept by one importance (the L1 norms of every
           filter that writes or reads them), each block's inner channels by their own. Batch norm
           is put back so that the pruned network computes, in training and evaluation mode alike,
           what its folded weights do: gamma and beta are each channel's spread and mean on
           training faces. The checkpoint is what train.py --init reads.

  blend    Weights interpolated between two checkpoints of one network (weight-space ensembling,
           as in WiSE-FT): (1 - alpha) * FROM + alpha * TO, batch-norm statistics included; for a
           fine-tuned run (TO) and the weights it started from (FROM).
  compare  The shipped model (its two passes) beside students (one pass, or with --two-pass the
           shipped model's two) on the validation split,
           clean and as the live pipeline cuts it (augment.pipeline_degrade on every effect's half
           of the faces, framing jitter of the detector's box), with accuracy, macro F1 and
           calibration error after each model's validation temperature.

    /usr/bin/python3 distill.py teacher --out runs/teacher-shipped.npz
    /usr/bin/python3 distill.py prune --widths 24,48,96,192 --out runs/pruned-24/init.pt
    /usr/bin/python3 distill.py compare --students runs/st24/best.pt
    /usr/bin/python3 distill.py compare --two-pass --students runs/robust1/best.pt
    /usr/bin/python3 distill.py blend --from runs/shipped-init/init.pt --to runs/robust2/best.pt \
        --alpha 0.5 --out runs/blend-robust2-50/best.pt
"""
from __future__ import annotations

import argparse
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

import fer_data
from export import softmax
from model import BasicBlock, FerResNet, count_macs, count_params

HERE = os.path.dirname(os.path.abspath(__file__))
SHIPPED = os.path.join(HERE, "..", "models", "fer-resnet")


def load_shipped(model_dir: str = SHIPPED) -> FerResNet:
    """The shipped folded weights as a FerResNet whose batch norms are the identity plus the folded
    bias (evaluation mode computes exactly the folded network)."""
    with open(os.path.join(model_dir, "model.json")) as f:
        manifest = json.load(f)
    dtype = np.float16 if manifest["dtype"] == "float16" else np.float32
    blob = open(os.path.join(model_dir, manifest["weights"]["file"]), "rb").read()
    tensors = {}
    for t in manifest["weights"]["tensors"]:
        arr = np.frombuffer(blob, dtype=dtype, count=int(np.prod(t["shape"])), offset=t["offset"])
        tensors[t["name"]] = torch.from_numpy(arr.astype(np.float32).reshape(t["shape"]))
    arch = manifest["architecture"]
    model = FerResNet(widths=arch["widths"], depths=arch["depths"], dropout=0.0).eval()

    def put(conv, bn, prefix):
        conv.weight.data.copy_(tensors[prefix + ".w"])
        identity_bn(bn, tensors[prefix + ".b"])

    put(model.stem[0], model.stem[1], "l0.conv")
    for i, block in enumerate(model.blocks, start=1):
        put(block.conv1, block.bn1, f"l{i}.conv1")
        put(block.conv2, block.bn2, f"l{i}.conv2")
        if block.shortcut is not None:
            put(block.shortcut[0], block.shortcut[1], f"l{i}.shortcut")
    model.fc.weight.data.copy_(tensors["fc.w"])
    model.fc.bias.data.copy_(tensors["fc.b"])
    model.manifest = manifest
    return model


def identity_bn(bn: torch.nn.BatchNorm2d, bias: torch.Tensor):
    bn.weight.data.fill_(1.0)
    bn.bias.data.copy_(bias)
    bn.running_mean.zero_()
    bn.running_var.fill_(1.0 - bn.eps)


# --- teacher -------------------------------------------------------------------------------------

# each view: (mirror, window size, x offset from the window's centred place); logits are averaged
VIEWS = {
    "shipped (face + mirror's 40 window)": [(False, 48, 0), (True, 40, 0)],
    "face + mirror": [(False, 48, 0), (True, 48, 0)],
    "face + mirror + both 40 windows": [(False, 48, 0), (True, 48, 0), (False, 40, 0), (True, 40, 0)],
    "face + mirror + 40 windows, 3 places": [(False, 48, 0), (True, 48, 0)]
    + [(m, 40, dx) for m in (False, True) for dx in (-3, 0, 3)],
}


@torch.no_grad()
def view_logits(model, images_u8: np.ndarray, mirror: bool, size: int, dx: int, batch: int = 512) -> np.ndarray:
    out = []
    o = (48 - size) // 2
    for i in range(0, len(images_u8), batch):
        x = torch.from_numpy(images_u8[i:i + batch]).float().div_(255.0).unsqueeze(1)
        if mirror:
            x = torch.flip(x, dims=[3])
        if size < 48:
            x = x[..., o:o + size, o + dx:o + dx + size]
        out.append(model(x.contiguous(memory_format=torch.channels_last)).numpy())
    return np.concatenate(out)


def cmd_teacher(args):
    model = load_shipped().to(memory_format=torch.channels_last)
    data = fer_data.load(args.data)
    sp = fer_data.splits(data)
    tr, va = sp["train"], sp["val"]
    y = data.labels[va]
    needed = sorted({v for views in VIEWS.values() for v in views})
    val_views = {v: view_logits(model, data.images[va], *v) for v in needed}
    scores = {}
    for name, views in VIEWS.items():
        logits = np.mean([val_views[v] for v in views], 0)
        scores[name] = {"val_acc": float((logits.argmax(1) == y).mean()), "passes": len(views)}
        print(json.dumps({name: scores[name]}), flush=True)
    best = max(VIEWS, key=lambda n: scores[n]["val_acc"])
    shipped = scores["shipped (face + mirror's 40 window)"]["val_acc"]
    print(f"teacher: {best} ({scores[best]['val_acc']:.4f} on validation; the shipped two passes {shipped:.4f})", flush=True)
    train_logits = np.mean([view_logits(model, data.images[tr], *v) for v in VIEWS[best]], 0)
    probs = softmax(train_logits / args.temperature).astype(np.float32)
    summary = {"teacher": best, "views": VIEWS[best], "val_scores": scores, "temperature": args.temperature,
               "train_acc": float((train_logits.argmax(1) == data.labels[tr]).mean()),
               "mean_top_prob": float(probs.max(1).mean())}
    np.savez_compressed(args.out, index=tr.astype(np.int64), probs=probs, summary=json.dumps(summary))
    print(json.dumps(summary), flush=True)


# --- prune ---------------------------------------------------------------------------------------

def l1_out(conv) -> torch.Tensor:
    w = conv.weight.detach().abs()
    return w.sum(dim=(1, 2, 3)) / w.sum(dim=(1, 2, 3)).mean()


def l1_in(conv) -> torch.Tensor:
    w = conv.weight.detach().abs()
    return w.sum(dim=(0, 2, 3)) / w.sum(dim=(0, 2, 3)).mean()


def stages(model: FerResNet) -> list[list[BasicBlock]]:
    out, i = [], 0
    for d in model.depths:
        out.append(list(model.blocks[i:i + d]))
        i += d
    return out


def keep_indices(model: FerResNet, widths: list[int]) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    """The residual channels kept per stage, and the inner channels kept per block."""
    st = stages(model)
    residual = []
    for s, blocks in enumerate(st):
        score = torch.zeros(model.widths[s])
        writers = [model.stem[0]] if s == 0 else [blocks[0].shortcut[0]]
        writers += [b.conv2 for b in blocks]
        readers = [b.conv1 for b in blocks[1:]] + ([blocks[0].conv1] if s == 0 else [])
        if s + 1 < len(st):
            readers += [st[s + 1][0].conv1, st[s + 1][0].shortcut[0]]
        for c in writers:
            score += l1_out(c)
        for c in readers:
            score += l1_in(c)
        fc = model.fc.weight.detach().abs().sum(0)
        if s == len(st) - 1:
            score += fc / fc.mean()
        residual.append(torch.sort(torch.topk(score, widths[s]).indices).values)
    inner = []
    for s, blocks in enumerate(st):
        for b in blocks:
            score = l1_out(b.conv1) + l1_in(b.conv2)
            inner.append(torch.sort(torch.topk(score, widths[s]).indices).values)
    return residual, inner


def copy_conv(dst, src, out_idx, in_idx):
    dst.weight.data.copy_(src.weight.detach()[out_idx][:, in_idx])


def prune(teacher: FerResNet, widths: list[int]) -> tuple[FerResNet, dict]:
    residual, inner = keep_indices(teacher, widths)
    student = FerResNet(widths=widths, depths=teacher.depths, dropout=0.2).eval()
    biases = {}  # student BN -> the folded bias it keeps

    def take(dst_conv, dst_bn, src_conv, src_bn, out_idx, in_idx):
        copy_conv(dst_conv, src_conv, out_idx, in_idx)
        biases[dst_bn] = src_bn.bias.detach()[out_idx].clone()
        identity_bn(dst_bn, biases[dst_bn])

    one = torch.tensor([0])
    take(student.stem[0], student.stem[1], teacher.stem[0], teacher.stem[1], residual[0], one)
    k = 0
    prev = residual[0]
    for s, (t_blocks, s_blocks) in enumerate(zip(stages(teacher), stages(student))):
        for tb, sb in zip(t_blocks, s_blocks):
            take(sb.conv1, sb.bn1, tb.conv1, tb.bn1, inner[k], prev)
            take(sb.conv2, sb.bn2, tb.conv2, tb.bn2, residual[s], inner[k])
            if tb.shortcut is not None:
                take(sb.shortcut[0], sb.shortcut[1], tb.shortcut[0], tb.shortcut[1], residual[s], prev)
            prev = residual[s]
            k += 1
    student.fc.weight.data.copy_(teacher.fc.weight.detach()[:, prev])
    student.fc.bias.data.copy_(teacher.fc.bias.detach())
    return student, biases


@torch.no_grad()
def calibrate_bn(student: FerResNet, biases: dict, faces_u8: np.ndarray):
    """gamma, beta and the running statistics from each channel's spread and mean on these faces, so
    that training mode (batch statistics) starts from the same function as evaluation mode."""
    stats = {}
    hooks = [conv.register_forward_hook(lambda m, i, o, bn=bn: stats.__setitem__(bn, (o.mean((0, 2, 3)), o.std((0, 2, 3)))))
             for conv, bn in conv_bn_pairs(student)]
    x = torch.from_numpy(faces_u8).float().div_(255.0).unsqueeze(1)[..., 4:44, 4:44]  # training windows
    student.eval()(x)
    for h in hooks:
        h.remove()
    for bn, (mu, sd) in stats.items():
        sd = sd.clamp_min(1e-3)
        bn.weight.data.copy_(sd)
        bn.bias.data.copy_(mu + biases[bn])
        bn.running_mean.copy_(mu)
        bn.running_var.copy_(sd * sd - bn.eps)


def conv_bn_pairs(model: FerResNet):
    yield model.stem[0], model.stem[1]
    for b in model.blocks:
        yield b.conv1, b.bn1
        yield b.conv2, b.bn2
        if b.shortcut is not None:
            yield b.shortcut[0], b.shortcut[1]


def cmd_prune(args):
    widths = [int(v) for v in args.widths.split(",")]
    teacher = load_shipped()
    if len(widths) != len(teacher.widths) or any(w > t for w, t in zip(widths, teacher.widths)):
        raise SystemExit(f"--widths must be {len(teacher.widths)} numbers no larger than {teacher.widths}")
    data = fer_data.load(args.data)
    sp = fer_data.splits(data)
    student, biases = prune(teacher, widths)
    before = view_logits(student, data.images[sp["val"][:512]], False, 48, 0)
    calibrate_bn(student, biases, data.images[np.random.RandomState(1).choice(sp["train"], 2048, replace=False)])
    after = view_logits(student, data.images[sp["val"][:512]], False, 48, 0)
    assert np.abs(before - after).max() < 1e-2 * max(1.0, np.abs(before).max()), "batch-norm calibration changed the function"
    va = sp["val"]
    acc = float((view_logits(student, data.images[va], False, 48, 0).argmax(1) == data.labels[va]).mean())
    cfg = {"widths": widths, "depths": list(teacher.depths), "dropout": 0.2}
    info = {"params": count_params(student), "macs": count_macs(student), "val_acc_pruned_one_pass": acc}
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    torch.save({"cfg": cfg, "ema": student.state_dict(), "epoch": -1, "val_acc": acc, "kind": "pruned", "args": vars(args)},
               args.out)
    print(json.dumps(info), flush=True)


# --- compare -------------------------------------------------------------------------------------

def pipeline_faces(images_u8: np.ndarray, seed: int = 5) -> np.ndarray:
    """The validation faces as the live pipeline might cut them: fixed by the seed."""
    from augment import pipeline_degrade, random_affine
    gen = torch.Generator().manual_seed(seed)
    out = []
    for i in range(0, len(images_u8), 512):
        x = torch.from_numpy(images_u8[i:i + 512]).float().div(255.0).unsqueeze(1)
        x = pipeline_degrade(x, gen, p=0.5)
        x = random_affine(x, 48, gen, max_rot_deg=12, scale_range=(0.9, 1.12), max_shift=3, flip=False)
        out.append((x.squeeze(1) * 255).round().clamp(0, 255).byte().numpy())
    return np.concatenate(out)


def scores(logits: np.ndarray, y: np.ndarray, temperature: float) -> dict:
    from export import ece
    from val_checks import macro_f1
    pred = logits.argmax(1)
    return {"acc": round(float((pred == y).mean()), 4), "macro_f1": round(macro_f1(pred, y), 4),
            "ece": round(ece(softmax(logits / temperature), y), 4)}


def cmd_compare(args):
    from export import fit_temperature, logits_of
    from train import load_ema
    data = fer_data.load(args.data)
    va = fer_data.splits(data)["val"]
    clean, y = data.images[va], data.labels[va]
    cut = pipeline_faces(clean)
    shipped = load_shipped().to(memory_format=torch.channels_last)

    def two_pass(model, faces):
        return (view_logits(model, faces, False, 48, 0) + view_logits(model, faces, True, 40, 0)) / 2

    models = {} if args.no_shipped else {"shipped (two passes)": lambda faces: two_pass(shipped, faces)}
    for path in args.students:
        student = load_ema(path)
        if args.two_pass:  # the shipped model's passes: the face, and its mirror's 40x40 centre
            models[f"{path} (two passes)"] = lambda faces, m=student: two_pass(m, faces)
            continue
        view = torch.load(path, map_location="cpu", weights_only=False).get("args", {}).get("view", "full")
        models[f"{path} (one pass, view {view})"] = lambda faces, m=student, v=view: logits_of(m, faces, flip=False, view=v)
    for name, run in models.items():
        lc, lp = run(clean), run(cut)
        t = fit_temperature(lc, y)  # the temperature export.py would ship: fitted on clean validation
        print(json.dumps({"model": name, "temperature": round(t, 3), "clean": scores(lc, y, t),
                          "pipeline": scores(lp, y, t)}), flush=True)


def blend_state(a: dict, b: dict, alpha: float) -> dict:
    """(1 - alpha) * a + alpha * b for every floating tensor; counters (num_batches_tracked) from b."""
    if a.keys() != b.keys():
        raise SystemExit(f"blend: the checkpoints have different tensors ({sorted(a.keys() ^ b.keys())[:3]} ...)")
    out = {}
    for k, tb in b.items():
        ta = a[k]
        if ta.shape != tb.shape:
            raise SystemExit(f"blend: {k} is {tuple(ta.shape)} in one checkpoint and {tuple(tb.shape)} in the other")
        out[k] = torch.lerp(ta.float(), tb.float(), alpha).to(tb.dtype) if tb.is_floating_point() else tb.clone()
    return out


def cmd_blend(args):
    if not 0.0 <= args.alpha <= 1.0:
        raise SystemExit(f"blend: --alpha {args.alpha} is outside 0..1")
    a = torch.load(args.from_, map_location="cpu", weights_only=False)
    b = torch.load(args.to, map_location="cpu", weights_only=False)
    if a["cfg"] != b["cfg"]:
        raise SystemExit(f"blend: different networks ({a['cfg']} and {b['cfg']})")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    torch.save({"cfg": b["cfg"], "ema": blend_state(a["ema"], b["ema"], args.alpha), "epoch": -1,
                "val_acc": None, "kind": "blend",
                "args": {"from": args.from_, "to": args.to, "alpha": args.alpha, "view": b.get("args", {}).get("view", "full")}},
               args.out)
    print(f"blend: {args.out} = {1 - args.alpha:g} x {args.from_} + {args.alpha:g} x {args.to}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("teacher")
    t.add_argument("--temperature", type=float, default=1.0)
    t.add_argument("--out", required=True)
    r = sub.add_parser("prune")
    r.add_argument("--widths", required=True)
    r.add_argument("--out", required=True)
    b = sub.add_parser("blend")
    b.add_argument("--from", dest="from_", required=True)
    b.add_argument("--to", required=True)
    b.add_argument("--alpha", type=float, required=True)
    b.add_argument("--out", required=True)
    c = sub.add_parser("compare")
    c.add_argument("--students", nargs="*", default=[])
    c.add_argument("--two-pass", action="store_true",
                   help="run the students as the shipped model runs (the face and its mirror's 40x40 centre)")
    c.add_argument("--no-shipped", action="store_true", help="students only")
    for q in (t, r, b, c):
        q.add_argument("--data", default=fer_data.DEFAULT_DATA_DIR)
        q.add_argument("--threads", type=int, default=0)
    args = p.parse_args(argv)
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    {"teacher": cmd_teacher, "prune": cmd_prune, "blend": cmd_blend, "compare": cmd_compare}[args.cmd](args)


if __name__ == "__main__":
    main()
