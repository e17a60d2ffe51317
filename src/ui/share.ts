/**
 * Sharing a report without sending it anywhere: the report as one self-contained HTML file (its
 * styles inline, its charts as inline SVG, no script, a Content Security Policy that lets it load
 * nothing), and the timelines as one SVG or PNG picture. Everything is made in the page and
 * saved through the browser's download.
 */
import { EMOTION_COLOURS } from '../shared/emotions';

/** The saved file may load nothing: no script, no request, only its own inline styles. */
const SAVED_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** What a reader of the file cannot use: buttons, forms, and anything marked data-share="omit". */
const NOT_SHARED = 'button, form, input, select, [data-share="omit"]';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

/** The page's own styles as text (the extension's same-origin style sheets). */
export function pageCss(doc: Document = document): string {
  return [...doc.styleSheets]
    .map((sheet) => {
      try {
        return [...sheet.cssRules].map((r) => r.cssText).join('\n');
      } catch {
        return ''; // a sheet from elsewhere: none in an extension page
      }
    })
    .join('\n');
}

/** The report (`root`, as the page shows it) as a standalone HTML document. */
export function standaloneHtml(root: Element, css: string, title: string): string {
  const copy = root.cloneNode(true) as Element;
  for (const el of copy.querySelectorAll(NOT_SHARED)) el.remove();
  for (const el of copy.querySelectorAll('[tabindex]')) el.removeAttribute('tabindex');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${SAVED_CSP}">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="MoodLens">
<title>${escapeHtml(title)}</title>
<style>
${css.replace(/<\/style/gi, '<\\/style')}
</style>
</head>
<body>
<main class="report saved-report">
${copy.outerHTML}
</main>
</body>
</html>
`;
}

export interface ChartPicture {
  svg: string;
  width: number;
  height: number;
}

/**
 * Every timeline of `root` stacked in one SVG, each under its participant's name, with the
 * colours written in (the page's CSS does not travel with a picture) and a legend at the bottom.
 */
export function timelinesSvg(root: Element, foreground = '#1d1b26', background = '#ffffff'): ChartPicture {
  const figures = [...root.querySelectorAll<SVGSVGElement>('[data-testid="timeline"] svg')];
  const pad = 12;
  const label = 18;
  const width = Math.max(200, ...figures.map((svg) => Number(svg.getAttribute('width')) || 0)) + pad * 2;
  let y = pad;
  const parts: string[] = [];
  for (const svg of figures) {
    const figure = svg.closest('[data-testid="timeline"]');
    const name = figure?.getAttribute('data-name') ?? figure?.getAttribute('data-participant') ?? '';
    const w = Number(svg.getAttribute('width')) || 0;
    const h = Number(svg.getAttribute('height')) || 0;
    const copy = svg.cloneNode(true) as SVGSVGElement;
    copy.removeAttribute('tabindex');
    copy.removeAttribute('class');
    for (const el of copy.querySelectorAll('.valence')) el.setAttribute('stroke', foreground);
    for (const el of copy.querySelectorAll('.valence')) el.setAttribute('stroke-width', '1.5');
    for (const el of copy.querySelectorAll('.zero')) {
      el.setAttribute('stroke', foreground);
      el.setAttribute('stroke-opacity', '0.25');
      el.setAttribute('stroke-dasharray', '3 3');
    }
    for (const el of copy.querySelectorAll('.cursor')) el.remove();
    copy.setAttribute('x', String(pad));
    copy.setAttribute('y', String(y + label));
    parts.push(
      `<text x="${pad}" y="${y + 13}" font-size="13" font-weight="600" fill="${foreground}">${escapeHtml(name)}</text>`,
      `<rect x="${pad}" y="${y + label}" width="${w}" height="${h}" fill="#c9c5d6"/>`,
      new XMLSerializer().serializeToString(copy),
    );
    y += label + h + pad;
  }
  let x = pad;
  for (const [emotion, colour] of Object.entries(EMOTION_COLOURS)) {
    parts.push(
      `<rect x="${x}" y="${y}" width="10" height="10" fill="${colour}"/>`,
      `<text x="${x + 14}" y="${y + 9}" font-size="11" fill="${foreground}">${emotion}</text>`,
    );
    x += 14 + emotion.length * 7 + 12;
  }
  const height = y + 10 + pad;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif"><rect width="100%" height="100%" fill="${background}"/>${parts.join('')}</svg>`;
  return { svg, width, height };
}

/** An SVG picture drawn into a PNG (twice its size, for sharp text). */
export async function svgToPng({ svg, width, height }: ChartPicture, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = width * scale;
    canvas.height = height * scale;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser gives no 2D canvas to draw the picture on');
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (b) => (b ? resolve(b) : reject(new Error('the picture could not be encoded'))),
        'image/png',
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
