/**
 * Overlay geometry: where a video's picture is on screen. Pure functions of measured numbers,
 * so they are unit-tested without a browser.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Edges {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** The content box: the border box less borders and padding (where a <video> draws its picture). */
export function contentBox(border: Rect, borders: Edges, padding: Edges): Rect {
  const left = borders.left + padding.left;
  const top = borders.top + padding.top;
  return {
    x: border.x + left,
    y: border.y + top,
    width: Math.max(0, border.width - left - borders.right - padding.right),
    height: Math.max(0, border.height - top - borders.bottom - padding.bottom),
  };
}

export type ObjectFit = 'fill' | 'contain' | 'cover' | 'none' | 'scale-down';

/** One axis of `object-position` as a fraction of the free space (0 start, 1 end) or pixels. */
type Offset = { frac: number } | { px: number };

function parseOffset(token: string | undefined, axis: 'x' | 'y'): Offset {
  if (token === undefined || token === 'center') return { frac: 0.5 };
  if ((axis === 'x' && token === 'left') || (axis === 'y' && token === 'top')) return { frac: 0 };
  if ((axis === 'x' && token === 'right') || (axis === 'y' && token === 'bottom')) return { frac: 1 };
  if (token.endsWith('%')) return { frac: parseFloat(token) / 100 };
  if (token.endsWith('px')) return { px: parseFloat(token) };
  return { frac: 0.5 };
}

/** Parses the computed `object-position` (two values; keywords, percentages or pixels). */
export function parseObjectPosition(value: string): { x: Offset; y: Offset } {
  const tokens = value.trim().split(/\s+/).filter(Boolean);
  let [a, b] = tokens;
  // "top left" and "bottom right" name the vertical keyword first
  if (a === 'top' || a === 'bottom' || b === 'left' || b === 'right') [a, b] = [b, a];
  return { x: parseOffset(a, 'x'), y: parseOffset(b, 'y') };
}

function place(offset: Offset, free: number): number {
  return 'px' in offset ? offset.px : free * offset.frac;
}

/**
 * Where the picture of an intrinsic-size video is drawn inside the content box, for a given
 * object-fit and object-position. The result may extend past the box (cover, none): the
 * browser clips it there.
 */
export function objectFitRect(
  box: Rect,
  intrinsic: { width: number; height: number },
  fit: string,
  position = '50% 50%',
): Rect {
  const { width: iw, height: ih } = intrinsic;
  if (iw <= 0 || ih <= 0 || fit === 'fill') return { ...box };
  const contain = Math.min(box.width / iw, box.height / ih);
  const cover = Math.max(box.width / iw, box.height / ih);
  let scale: number;
  switch (fit as ObjectFit) {
    case 'cover':
      scale = cover;
      break;
    case 'none':
      scale = 1;
      break;
    case 'scale-down':
      scale = Math.min(1, contain);
      break;
    default:
      scale = contain;
  }
  const width = iw * scale;
  const height = ih * scale;
  const pos = parseObjectPosition(position);
  return {
    x: box.x + place(pos.x, box.width - width),
    y: box.y + place(pos.y, box.height - height),
    width,
    height,
  };
}

export function rectsClose(a: Rect, b: Rect, tolerance: number): boolean {
  return (
    Math.abs(a.x - b.x) <= tolerance &&
    Math.abs(a.y - b.y) <= tolerance &&
    Math.abs(a.width - b.width) <= tolerance &&
    Math.abs(a.height - b.height) <= tolerance
  );
}

/** Intersection of two rectangles (zero-size where they do not meet). */
export function intersect(a: Rect, b: Rect): Rect {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  return { x, y, width: Math.max(0, right - x), height: Math.max(0, bottom - y) };
}
