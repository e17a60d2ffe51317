"""Draws the MoodLens toolbar icons (public/icons/icon-N.png). Run: /usr/bin/python3 scripts/make-icons.py"""
import os
from PIL import Image, ImageDraw

OUT = os.path.join(os.path.dirname(__file__), "..", "public", "icons")
os.makedirs(OUT, exist_ok=True)
for size in (16, 32, 48, 128):
    s = 8  # supersampling
    n = size * s
    im = Image.new("RGBA", (n, n), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    d.ellipse([n * 0.04, n * 0.04, n * 0.96, n * 0.96], fill=(91, 63, 214, 255))
    # a lens ring and a smile
    d.ellipse([n * 0.18, n * 0.18, n * 0.82, n * 0.82], outline=(255, 255, 255, 255), width=int(n * 0.07))
    d.ellipse([n * 0.36, n * 0.36, n * 0.44, n * 0.46], fill=(255, 255, 255, 255))
    d.ellipse([n * 0.56, n * 0.36, n * 0.64, n * 0.46], fill=(255, 255, 255, 255))
    d.arc([n * 0.34, n * 0.4, n * 0.66, n * 0.66], 20, 160, fill=(255, 255, 255, 255), width=int(n * 0.05))
    im.resize((size, size), Image.LANCZOS).save(os.path.join(OUT, f"icon-{size}.png"))
