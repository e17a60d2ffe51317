"""Train the FER ResNet on FER2013 Training (minus a stratified validation split).

Resumable: a checkpoint every epoch (runs/NAME/last.pt), --resume continues it; per-epoch CSV
log (runs/NAME/log.csv); the best EMA weights on validation go to runs/NAME/best.pt.
Runs on PyTorch 1.13 (CPU) and PyTorch 2 (CUDA). The thread count may be changed while it
runs by writing a number to runs/NAME/threads.
"""
from __future__ import annotations

import argparse
import copy
import csv
import json
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

import fer_data
from augment import pipeline_degrade, random_affine, random_erasing
from model import FerResNet, count_macs, count_params

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--name", default="main")
    p.add_argument("--data", default=fer_data.DEFAULT_DATA_DIR)
    p.add_argument("--epochs", type=int, default=40)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--wd", type=float, default=5e-4)
    p.add_argument("--widths", default="32,64,128,256")
    p.add_argument("--depths", default="2,2,2,2")
    p.add_argument("--dropout", type=float, default=0.2)
    p.add_argument("--crop", type=int, default=40, help="training window size (pixels of the 48x48 face)")
    p.add_argument("--smoothing", type=float, default=0.1)
    p.add_argument("--ferplus-weight", type=float, default=0.3, help="share of the FER+ vote distribution in the target")
    p.add_argument("--balance", type=float, default=0.5, help="class sampling weight n_c^-balance (0 = natural)")
    p.add_argument("--erase", type=float, default=0.5)
    p.add_argument("--degrade", type=float, default=0.0,
                   help="share of the faces each of the live pipeline's degradations applies to (augment.pipeline_degrade: "
                        "resampling from a small face, blur, JPEG, gamma, contrast, noise); 0 = none")
    p.add_argument("--rotate", type=float, default=10.0, help="largest in-plane rotation of the training window, degrees")
    p.add_argument("--scale", default="0.9,1.1", help="range of the training window's scale")
    p.add_argument("--ema", type=float, default=0.998)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--amp", choices=["none", "bf16"], default="none",
                   help="bfloat16 autocast for the training steps (2-3x faster on CPUs with AMX, and on CUDA); "
                        "weights, optimiser and evaluation stay float32")
    p.add_argument("--init", default="", help="start from this checkpoint's EMA weights (a second training stage)")
    p.add_argument("--pct-start", type=float, default=0.15, help="share of the one-cycle schedule spent warming up")
    p.add_argument("--eval-crop-every", type=int, default=1,
                   help="validate the centre crop every N epochs (and at the last one); 0 = never")
    p.add_argument("--swa", action="store_true",
                   help="stochastic weight averaging: a constant learning rate --lr, the weights at the end of every epoch "
                        "averaged, that average's batch-norm statistics recomputed on training faces; it is validated "
                        "beside the EMA weights and either may become best.pt")
    p.add_argument("--swa-bn-faces", type=int, default=6400, help="training faces for the SWA batch-norm statistics")
    p.add_argument("--teacher", default="",
                   help="distillation: an npz from teacher.py (an ensemble's probabilities for the training faces)")
    p.add_argument("--teacher-weight", type=float, default=0.5,
                   help="share of the teacher's probabilities in each training face's target")
    p.add_argument("--view", default="full",
                   help="what the network sees of a 48x48 face at test time: full, crop:S (the centre SxS window) or "
                        "resize:S (the face resized to SxS; training windows are resized by the same factor)")
    p.add_argument("--choose-on", choices=["mirror", "single"], default="mirror",
                   help="the validation figure that picks best.pt: the face and its mirror image averaged, or the face "
                        "alone (a model the extension runs in one pass)")
    p.add_argument("--resume", action="store_true")
    p.add_argument("--max-epochs-this-run", type=int, default=0, help="stop after this many epochs (0 = no limit)")
    return p.parse_args(argv)


def build_model(cfg: dict) -> FerResNet:
    return FerResNet(widths=cfg["widths"], depths=cfg["depths"], dropout=cfg["dropout"])


def load_ema(path: str) -> FerResNet:
    """A checkpoint's EMA weights (best.pt or last.pt) as an evaluation model, channels-last."""
    state = torch.load(path, map_location="cpu", weights_only=False)
    model = build_model(state["cfg"])
    model.load_state_dict(state["ema"])
    return model.to(memory_format=torch.channels_last).eval()


def to_input(images_u8: np.ndarray, device) -> torch.Tensor:
    """The preprocessing contract: bytes / 255, shape (B,1,48,48)."""
    return torch.from_numpy(images_u8).to(device).float().div_(255.0).unsqueeze(1)


def center_crop(x: torch.Tensor, size: int) -> torch.Tensor:
    o = (x.shape[-1] - size) // 2
    return x[..., o:o + size, o:o + size]


def parse_view(view: str) -> tuple[str, int]:
    kind, _, size = view.partition(":")
    if kind == "full" and not size:
        return "full", 48
    if kind in ("crop", "resize") and size.isdigit() and 8 <= int(size) <= 48:
        return kind, int(size)
    raise SystemExit(f"--view {view}: expected full, crop:S or resize:S with S from 8 to 48")


def resized(x: torch.Tensor, factor: float) -> torch.Tensor:
    """Bilinear, half-pixel centres, no antialiasing: tf.image.resizeBilinear(halfPixelCenters) in the extension."""
    size = int(round(x.shape[-1] * factor))
    return F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)


def test_view(x: torch.Tensor, view: str) -> torch.Tensor:
    """A batch of 48x48 faces as the network sees them at test time (--view)."""
    kind, size = parse_view(view)
    if kind == "crop":
        return center_crop(x, size)
    if kind == "resize":
        return resized(x, size / 48)
    return x


@torch.no_grad()
def predict_logits(model, images_u8: np.ndarray, device, crop: int = 48, flip: bool = True, batch: int = 512,
                   view: str = "full") -> np.ndarray:
    """Deterministic evaluation: logits averaged over the face and its mirror image."""
    model.eval()
    out = []
    for i in range(0, len(images_u8), batch):
        x = test_view(to_input(images_u8[i:i + batch], device), view)
        if crop != 48:
            x = center_crop(x, crop)
        x = x.contiguous(memory_format=torch.channels_last)  # as the model's weights (faster on CPU and CUDA)
        logits = model(x)
        if flip:
            logits = (logits + model(torch.flip(x, dims=[3]))) / 2
        out.append(logits.float().cpu().numpy())
    return np.concatenate(out)


@torch.no_grad()
def recompute_bn(model, images_u8: np.ndarray, device, crop: int, erase: float, seed: int, batch: int = 128):
    """Batch-norm statistics as the plain average over these faces, augmented as in training (those of
    whole, clean 48x48 faces put the averaged weights well below the EMA weights on validation:
    the network's later layers are tuned to the training windows' statistics)."""
    bns = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    momenta = [m.momentum for m in bns]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None  # cumulative average
    model.train()
    gen = torch.Generator().manual_seed(seed)
    for i in range(0, len(images_u8), batch):
        x = random_affine(to_input(images_u8[i:i + batch], device), crop, gen)
        if erase > 0:
            x = random_erasing(x, gen, p=erase)
        model(x.contiguous(memory_format=torch.channels_last))
    for m, mom in zip(bns, momenta):
        m.momentum = mom
    model.eval()


def with_teacher(targets: np.ndarray, path: str, weight: float, train_rows: np.ndarray) -> np.ndarray:
    """Each training face's target becomes (1 - weight) * its own target + weight * the teacher's
    probabilities. The teacher file must cover exactly the training split (never validation)."""
    if not 0 <= weight <= 1:
        raise SystemExit(f"--teacher-weight {weight} is not between 0 and 1")
    t = np.load(path)
    index, probs = t["index"], t["probs"].astype(np.float32)
    if not np.array_equal(np.sort(index), np.sort(train_rows)) or probs.shape != (len(index), targets.shape[1]):
        raise SystemExit(f"{path} does not hold probabilities for this training split")
    if not np.allclose(probs.sum(1), 1, atol=1e-3):
        raise SystemExit(f"{path}: the teacher's probabilities do not sum to 1")
    out = targets.copy()
    out[index] = (1 - weight) * targets[index] + weight * probs
    return out


def set_threads(n: int):
    if n > 0 and torch.get_num_threads() != n:
        torch.set_num_threads(n)


def main(argv=None):
    args = parse_args(argv)
    run_dir = os.path.join(HERE, "runs", args.name)
    os.makedirs(run_dir, exist_ok=True)
    ckpt_path = os.path.join(run_dir, "last.pt")
    threads_file = os.path.join(run_dir, "threads")
    set_threads(args.threads)
    device = args.device

    cfg = {
        "widths": [int(v) for v in args.widths.split(",")],
        "depths": [int(v) for v in args.depths.split(",")],
        "dropout": args.dropout,
    }
    state = None
    if args.resume and os.path.exists(ckpt_path):
        state = torch.load(ckpt_path, map_location="cpu", weights_only=False)
        saved = state["args"]
        # the run's hyper-parameters are the checkpoint's; only runtime knobs come from the command line
        for k, v in saved.items():
            if k not in ("resume", "threads", "device", "max_epochs_this_run", "data"):
                setattr(args, k, v)
        cfg = state["cfg"]
        print(f"resuming {args.name} after epoch {state['epoch']}", flush=True)
    elif os.path.exists(ckpt_path) and not args.resume:
        raise SystemExit(f"{ckpt_path} exists: pass --resume to continue it or choose another --name")

    torch.manual_seed(args.seed)
    data = fer_data.load(args.data)
    sp = fer_data.splits(data)
    tr, va = sp["train"], sp["val"]
    targets = fer_data.soft_targets(data.labels, data.votes, args.ferplus_weight, args.smoothing)
    if args.teacher:
        targets = with_teacher(targets, args.teacher, args.teacher_weight, tr)
    scale_range = tuple(float(v) for v in args.scale.split(","))
    view_kind, view_size = parse_view(args.view)
    counts = np.bincount(data.labels[tr], minlength=7).astype(np.float64)
    sample_w = (counts ** -args.balance)[data.labels[tr]]
    sample_w /= sample_w.sum()

    if args.init and state is None:
        init = torch.load(args.init, map_location="cpu", weights_only=False)
        cfg = init["cfg"]
        model = build_model(cfg)
        model.load_state_dict(init["ema"])
        print(f"initialised from {args.init} (epoch {init['epoch']}, val_acc {init.get('val_acc', float('nan')):.4f})", flush=True)
    else:
        model = build_model(cfg)
    model = model.to(device).to(memory_format=torch.channels_last)
    ema = copy.deepcopy(model).eval()
    for p_ in ema.parameters():
        p_.requires_grad_(False)
    decay, no_decay = [], []
    for n_, p_ in model.named_parameters():
        (no_decay if p_.ndim <= 1 else decay).append(p_)
    opt = torch.optim.SGD([{"params": decay, "weight_decay": args.wd}, {"params": no_decay, "weight_decay": 0}],
                          lr=args.lr, momentum=0.9, nesterov=True)
    steps_per_epoch = len(tr) // args.batch
    if args.swa:
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: 1.0)
    else:
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, epochs=args.epochs, steps_per_epoch=steps_per_epoch,
                                                    pct_start=args.pct_start, div_factor=20, final_div_factor=200)
    swa, swa_n = (copy.deepcopy(model).eval(), 0) if args.swa else (None, 0)
    start_epoch, best = 0, {"val_acc": -1.0, "epoch": -1}
    if state is not None:
        model.load_state_dict(state["model"])
        ema.load_state_dict(state["ema"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        start_epoch, best = state["epoch"] + 1, state["best"]
        if swa is not None:
            swa.load_state_dict(state["swa"])
            swa_n = state["swa_n"]
    else:
        info = {"params": count_params(model), "macs": count_macs(copy.deepcopy(model).cpu(), size=view_size), "cfg": cfg, "args": vars(args),
                "n_train": len(tr), "n_val": len(va)}
        with open(os.path.join(run_dir, "config.json"), "w") as f:
            json.dump(info, f, indent=1)
        print(json.dumps(info), flush=True)

    log_path = os.path.join(run_dir, "log.csv")
    fields = ["epoch", "lr", "train_loss", "train_acc", "val_loss", "val_acc", "val_acc_crop", "val_acc_noflip", "seconds", "threads"]
    if args.swa:
        fields.insert(-2, "val_acc_swa")
    if not os.path.exists(log_path):
        with open(log_path, "w", newline="") as f:
            csv.writer(f).writerow(fields)

    val_x, val_y = data.images[va], data.labels[va]
    if device.startswith("cuda"):
        torch.backends.cudnn.benchmark = True  # fixed shapes: let cuDNN pick its fastest kernels
    # the EMA update as two fused multi-tensor steps (the same arithmetic as one tensor at a time)
    ema_state, model_state = ema.state_dict(), model.state_dict()
    ema_f = [v for k, v in ema_state.items() if v.dtype.is_floating_point]
    model_f = [model_state[k] for k, v in ema_state.items() if v.dtype.is_floating_point]
    ema_i = [v for k, v in ema_state.items() if not v.dtype.is_floating_point]
    model_i = [model_state[k] for k, v in ema_state.items() if not v.dtype.is_floating_point]
    labels_dev = torch.from_numpy(data.labels).to(device)
    if swa is not None:  # the faces the SWA batch-norm statistics are computed on: fixed for the run
        bn_faces = data.images[np.sort(np.random.RandomState(args.seed).choice(tr, min(args.swa_bn_faces, len(tr)), replace=False))]
    ran = 0
    for epoch in range(start_epoch, args.epochs):
        if args.max_epochs_this_run and ran >= args.max_epochs_this_run:
            break
        t0 = time.time()
        rng = np.random.RandomState(args.seed * 1000 + epoch)
        gen = torch.Generator().manual_seed(args.seed * 1000 + epoch)
        order = tr[rng.choice(len(tr), size=steps_per_epoch * args.batch, replace=True, p=sample_w)]
        model.train()
        # running sums stay on the device: no wait for the GPU at every step
        tot_loss = torch.zeros((), device=device, dtype=torch.float64)
        tot_correct = torch.zeros((), device=device, dtype=torch.int64)
        seen = 0
        for step in range(steps_per_epoch):
            if step % 25 == 0 and os.path.exists(threads_file):
                try:
                    set_threads(int(open(threads_file).read().strip()))
                except ValueError:
                    pass
            idx = order[step * args.batch:(step + 1) * args.batch]
            x = to_input(data.images[idx], device)
            if args.degrade > 0:
                x = pipeline_degrade(x, gen, p=args.degrade)
            x = random_affine(x, args.crop, gen, max_rot_deg=args.rotate, scale_range=scale_range)
            if view_kind == "resize":
                x = resized(x, view_size / 48)
            if args.erase > 0:
                x = random_erasing(x, gen, p=args.erase)
            x = x.contiguous(memory_format=torch.channels_last)
            y = torch.from_numpy(targets[idx]).to(device)
            with torch.autocast(device_type="cuda" if device.startswith("cuda") else "cpu", dtype=torch.bfloat16,
                                enabled=args.amp == "bf16"):
                logits = model(x)
            logits = logits.float()
            loss = torch.sum(-y * F.log_softmax(logits, 1), 1).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            with torch.no_grad():
                d = min(args.ema, (1 + step + epoch * steps_per_epoch) / (10 + step + epoch * steps_per_epoch))
                torch._foreach_mul_(ema_f, d)
                torch._foreach_add_(ema_f, model_f, alpha=1 - d)
                for pe, pm in zip(ema_i, model_i):
                    pe.copy_(pm)
                tot_loss += loss.detach().double() * len(idx)
                idx_dev = torch.from_numpy(idx).to(device)
                tot_correct += (logits.argmax(1) == labels_dev[idx_dev]).sum()
            seen += len(idx)
            if step % 50 == 0:
                print(f"  epoch {epoch} step {step}/{steps_per_epoch} loss {tot_loss.item() / seen:.4f} {time.time() - t0:.0f}s", flush=True)

        # the face and its mirror image once each: the single-view and the mirror-averaged figures from the same passes
        single = predict_logits(ema, val_x, device, flip=False, view=args.view)
        mirror = predict_logits(ema, np.ascontiguousarray(val_x[:, :, ::-1]), device, flip=False, view=args.view)
        logits = (single + mirror) / 2
        val_loss = float(F.cross_entropy(torch.from_numpy(logits), torch.from_numpy(val_y)))
        val_acc = float((logits.argmax(1) == val_y).mean())
        val_acc_noflip = float((single.argmax(1) == val_y).mean())
        last_epoch = epoch == args.epochs - 1
        val_acc_crop = (float((predict_logits(ema, val_x, device, crop=args.crop).argmax(1) == val_y).mean())
                        if args.eval_crop_every and (epoch % args.eval_crop_every == 0 or last_epoch) else "")
        candidates = [(val_acc_noflip if args.choose_on == "single" else val_acc, ema)]
        if swa is not None:
            swa_n += 1
            with torch.no_grad():
                for ps, pm in zip(swa.parameters(), model.parameters()):
                    ps.mul_((swa_n - 1) / swa_n).add_(pm.detach(), alpha=1 / swa_n)  # the running mean of the epochs' weights
            recompute_bn(swa, bn_faces, device, args.crop, args.erase, seed=args.seed)
            val_acc_swa = float((predict_logits(swa, val_x, device).argmax(1) == val_y).mean())
            candidates.append((val_acc_swa, swa))
        row = {"epoch": epoch, "lr": sched.get_last_lr()[0], "train_loss": tot_loss.item() / seen, "train_acc": tot_correct.item() / seen,
               "val_loss": val_loss, "val_acc": val_acc, "val_acc_crop": val_acc_crop, "val_acc_noflip": val_acc_noflip,
               "seconds": time.time() - t0, "threads": torch.get_num_threads()}
        if swa is not None:
            row["val_acc_swa"] = val_acc_swa
        with open(log_path, "a", newline="") as f:
            csv.writer(f).writerow([f"{row[k]:.5f}" if isinstance(row[k], float) else row[k] for k in fields])
        print(json.dumps(row), flush=True)
        acc, chosen = max(candidates, key=lambda c: c[0])
        if acc > best["val_acc"]:
            kind = "swa" if chosen is swa else "ema"
            best = {"val_acc": acc, "epoch": epoch, "kind": kind}
            # the chosen weights go under "ema", the key export.py reads; "kind" says which they are
            torch.save({"cfg": cfg, "ema": chosen.state_dict(), "epoch": epoch, "val_acc": acc, "kind": kind, "args": vars(args)},
                       os.path.join(run_dir, "best.pt.tmp"))
            os.replace(os.path.join(run_dir, "best.pt.tmp"), os.path.join(run_dir, "best.pt"))
        torch.save({"cfg": cfg, "model": model.state_dict(), "ema": ema.state_dict(), "opt": opt.state_dict(),
                    "sched": sched.state_dict(), "epoch": epoch, "best": best, "args": vars(args),
                    **({"swa": swa.state_dict(), "swa_n": swa_n} if swa is not None else {})}, ckpt_path + ".tmp")
        os.replace(ckpt_path + ".tmp", ckpt_path)
        ran += 1
    print(f"done: best val_acc {best['val_acc']:.4f} at epoch {best['epoch']}", flush=True)


if __name__ == "__main__":
    main()
