"""Batched data augmentation on the training device (CPU or CUDA): one affine warp per face
(random crop/shift, scale, small rotation, horizontal flip) and random erasing."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def random_affine(x: torch.Tensor, out_size: int, gen: torch.Generator, max_rot_deg: float = 10.0,
                  scale_range: tuple[float, float] = (0.9, 1.1), max_shift: float = 4.0, flip: bool = True) -> torch.Tensor:
    """x: (B,1,H,W) in [0,1]. Returns (B,1,out_size,out_size): a randomly placed, scaled, rotated
    and flipped window of out_size/H of the picture (out_size == H gives shifts only)."""
    b, _, h, w = x.shape
    dev = x.device

    def u(lo: float, hi: float) -> torch.Tensor:
        return (torch.rand(b, generator=gen) * (hi - lo) + lo).to(dev)

    angle = u(-max_rot_deg, max_rot_deg) * math.pi / 180
    scale = u(*scale_range)
    # window half-size in normalised source coordinates, and a centre jitter that keeps it mostly inside
    half = out_size / w
    slack = (1 - half) + max_shift * 2 / w
    tx, ty = u(-slack, slack), u(-slack, slack)
    sx = half / scale
    sign = torch.where(torch.rand(b, generator=gen).to(dev) < 0.5, -1.0, 1.0) if flip else torch.ones(b, device=dev)
    cos, sin = torch.cos(angle), torch.sin(angle)
    theta = torch.stack([
        torch.stack([cos * sx * sign, -sin * sx, tx], 1),
        torch.stack([sin * sx * sign, cos * sx, ty], 1),
    ], 1)
    grid = F.affine_grid(theta, (b, 1, out_size, out_size), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)


def random_erasing(x: torch.Tensor, gen: torch.Generator, p: float = 0.5, area: tuple[float, float] = (0.02, 0.2),
                   ratio: tuple[float, float] = (0.3, 3.3)) -> torch.Tensor:
    b, _, h, w = x.shape
    dev = x.device
    apply = torch.rand(b, generator=gen) < p
    a = torch.empty(b).uniform_(*area, generator=gen) * h * w
    log_r = torch.empty(b).uniform_(math.log(ratio[0]), math.log(ratio[1]), generator=gen)
    r = torch.exp(log_r)
    eh = torch.sqrt(a * r).clamp(1, h - 1)
    ew = torch.sqrt(a / r).clamp(1, w - 1)
    y0 = torch.rand(b, generator=gen) * (h - eh)
    x0 = torch.rand(b, generator=gen) * (w - ew)
    ys = torch.arange(h).view(1, h, 1)
    xs = torch.arange(w).view(1, 1, w)
    mask = (ys >= y0.view(b, 1, 1)) & (ys < (y0 + eh).view(b, 1, 1)) & (xs >= x0.view(b, 1, 1)) & (xs < (x0 + ew).view(b, 1, 1))
    mask &= apply.view(b, 1, 1)
    noise = torch.rand(b, h, w, generator=gen)
    mask, noise = mask.to(dev).unsqueeze(1), noise.to(dev).unsqueeze(1)
    return torch.where(mask, noise, x)
