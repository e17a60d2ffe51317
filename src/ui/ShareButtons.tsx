/**
 * The report's ways to share without sending anything: save it as one HTML file, save its
 * timelines as an SVG or PNG picture, print it (or save as PDF from the print dialog).
 */
import { useState } from 'preact/hooks';
import { download } from './download';
import { pageCss, standaloneHtml, svgToPng, timelinesSvg } from './share';

export function ShareButtons({
  target,
  fileBase,
  title,
}: {
  /** The report element to save (read at the click). */
  target: () => Element | null;
  /** The file name without extension. */
  fileBase: string;
  title: string;
}) {
  const [error, setError] = useState<string | undefined>();
  const run = (what: string, act: (root: Element) => Promise<void> | void) => () => {
    const root = target();
    if (!root) return;
    setError(undefined);
    Promise.resolve(act(root)).catch((e: unknown) =>
      setError(`${what} failed: ${e instanceof Error ? e.message : String(e)}`),
    );
  };
  return (
    <div class="actions share" role="group" aria-label="Share this report" data-share="omit">
      <button
        type="button"
        data-testid="save-html"
        onClick={run('Saving the report', (root) =>
          download(`${fileBase}.html`, standaloneHtml(root, pageCss(), title), 'text/html'),
        )}
      >
        Save as HTML
      </button>
      <button
        type="button"
        data-testid="save-svg"
        onClick={run('Saving the picture', (root) =>
          download(`${fileBase}-timelines.svg`, timelinesSvg(root).svg, 'image/svg+xml'),
        )}
      >
        Timelines as SVG
      </button>
      <button
        type="button"
        data-testid="save-png"
        onClick={run('Saving the picture', async (root) =>
          download(`${fileBase}-timelines.png`, await svgToPng(timelinesSvg(root)), 'image/png'),
        )}
      >
        PNG
      </button>
      <button type="button" data-testid="print" onClick={() => window.print()}>
        Print or PDF
      </button>
      {error && (
        <span class="error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
