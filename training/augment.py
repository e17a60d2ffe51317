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


# --- the faces the live pipeline cuts ------------------------------------------------------------
# The extension crops a face from a video frame at the detector's box and resamples it to 48x48:
# small faces are upscaled, the video was compressed, often blurred, and lit anyhow. pipeline_degrade
# reproduces that on the 48x48 training faces, each effect on a random share of the batch.

def _dct_matrix(n: int = 8) -> torch.Tensor:
    k = torch.arange(n, dtype=torch.float32)
    m = torch.cos(math.pi * (2 * k[None, :] + 1) * k[:, None] / (2 * n)) * math.sqrt(2 / n)
    m[0] /= math.sqrt(2)
    return m


_DCT = _dct_matrix()
# the JPEG standard's luminance quantisation table (ITU T.81, K.1)
_JPEG_Q = torch.tensor([
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
    14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99], dtype=torch.float32).view(8, 8)


def jpeg_like(x: torch.Tensor, quality: torch.Tensor) -> torch.Tensor:
    """Baseline JPEG's lossy step on (B,1,H,W) in [0,1], H and W multiples of 8: 8x8 block DCT,
    quantisation with the standard table scaled to each face's quality (1-100), and back."""
    b, _, h, w = x.shape
    dev = x.device
    q = quality.clamp(1, 100).to(dev)
    scale = torch.where(q < 50, 5000 / q, 200 - 2 * q) / 100
    table = (_JPEG_Q.to(dev)[None] * scale[:, None, None]).clamp(1, 255).view(b, 1, 1, 1, 8, 8)
    d = _DCT.to(dev)
    blocks = (x * 255 - 128).view(b, 1, h // 8, 8, w // 8, 8).permute(0, 1, 2, 4, 3, 5)
    coef = d @ blocks @ d.T
    coef = torch.round(coef / table) * table
    back = (d.T @ coef @ d).permute(0, 1, 2, 4, 3, 5).reshape(b, 1, h, w)
    return ((back + 128) / 255).clamp(0, 1)


def gaussian_blur(x: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
    """Each face blurred with its own sigma (pixels; 0 leaves it as it is)."""
    b = x.shape[0]
    r = 3
    t = torch.arange(-r, r + 1, dtype=torch.float32, device=x.device)
    k = torch.exp(-t[None] ** 2 / (2 * sigma.to(x.device).clamp_min(1e-3)[:, None] ** 2))
    k = k / k.sum(1, keepdim=True)  # (B, 7)
    xp = F.pad(x, (r, r, r, r), mode="replicate").transpose(0, 1)  # (1,B,H+2r,W+2r): one group per face
    xp = F.conv2d(xp, k.view(b, 1, 1, -1), groups=b)
    xp = F.conv2d(xp, k.view(b, 1, -1, 1), groups=b)
    return xp.transpose(0, 1)


def pipeline_degrade(x: torch.Tensor, gen: torch.Generator, p: float = 0.5) -> torch.Tensor:
    """x: (B,1,48,48) in [0,1]. Each effect applies to a share p of the faces, independently:
    resampling from a smaller face (20-44 px, upscaled back as the crop does), Gaussian blur
    (sigma 0.3-1.0 px), JPEG-like compression (quality 25-90), gamma (0.6-1.7), contrast (0.6-1.3)
    and brightness (+-0.1), and sensor noise (sigma up to 0.025)."""
    b, _, h, w = x.shape
    dev = x.device

    def pick() -> torch.Tensor:
        return (torch.rand(b, generator=gen) < p).to(dev).view(b, 1, 1, 1)

    def u(lo: float, hi: float) -> torch.Tensor:
        return torch.rand(b, generator=gen) * (hi - lo) + lo

    # resampling: a few sizes per batch, each face down to its size and back up
    small = u(20, 44).round()
    use = pick()
    down = x.clone()
    for s in (20, 24, 28, 32, 36, 40, 44):
        m = (small - s).abs() <= 2
        if m.any():
            sub = F.interpolate(x[m.to(dev)], size=(s, s), mode="bilinear", align_corners=False, antialias=True)
            down[m.to(dev)] = F.interpolate(sub, size=(h, w), mode="bilinear", align_corners=False)
    x = torch.where(use, down, x)
    x = torch.where(pick(), gaussian_blur(x, u(0.3, 1.0)), x)
    x = torch.where(pick(), jpeg_like(x, u(25, 90)), x)
    gamma = torch.exp(u(math.log(0.6), math.log(1.7))).to(dev).view(b, 1, 1, 1)
    x = torch.where(pick(), x.clamp_min(1e-4) ** gamma, x)
    mean = x.mean(dim=(2, 3), keepdim=True)
    contrast = u(0.6, 1.3).to(dev).view(b, 1, 1, 1)
    bright = u(-0.1, 0.1).to(dev).view(b, 1, 1, 1)
    x = torch.where(pick(), (x - mean) * contrast + mean + bright, x)
    noise = torch.randn(x.shape, generator=gen).to(dev) * u(0.0, 0.025).to(dev).view(b, 1, 1, 1)
    x = torch.where(pick(), x + noise, x)
    return x.clamp(0, 1)
