import { isOwnNode } from './own-nodes';

/**
 * Finds every <video> of the page, including those in open shadow roots and those added later.
 * Mutations (of the document and of every open shadow root found) that add or remove elements
 * schedule a rescan, at most one per `throttleMs`; the owner is told when the set of videos
 * changes. MoodLens's own hosts (the overlay, the relay frame) are left out: adding, moving or
 * redrawing them schedules nothing. Closed shadow roots are, by design, out of reach. The owner
 * makes a finder only while analysis is on; aborting `signal` stops it (no observer, no timer).
 */
export interface VideoFinderOptions {
  onChange: (videos: ReadonlySet<HTMLVideoElement>) => void;
  signal: AbortSignal;
  throttleMs?: number;
}

interface Scan {
  videos: Set<HTMLVideoElement>;
  /** Canvases, which tab-capture mode reads as tiles (a client that draws its call, like Zoom's). */
  canvases: Set<HTMLCanvasElement>;
  shadowRoots: ShadowRoot[];
}

/** All videos and canvases under `root` and the open shadow roots they may sit in, at any depth (one walk). */
export function scanVideos(
  root: Document | ShadowRoot,
  into: Scan = { videos: new Set(), canvases: new Set(), shadowRoots: [] },
): Scan {
  for (const v of root.querySelectorAll('video')) into.videos.add(v);
  for (const c of root.querySelectorAll('canvas')) into.canvases.add(c);
  // a document has no owner document: it is its own
  const doc = root.ownerDocument ?? root;
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
  // the walker starts on `root` itself, which is no element
  for (let node = walker.nextNode() as Element | null; node; node = walker.nextNode() as Element | null) {
    if (node.shadowRoot && !isOwnNode(node)) {
      into.shadowRoots.push(node.shadowRoot);
      scanVideos(node.shadowRoot, into);
    }
  }
  return into;
}

/** All videos under `root`, descending into open shadow roots (a one-shot count). */
export const collectVideos = (root: Document | ShadowRoot): Set<HTMLVideoElement> => scanVideos(root).videos;

/** All canvases under `root`, descending into open shadow roots (Zoom draws into one inside its player). */
export const collectCanvases = (root: Document | ShadowRoot): Set<HTMLCanvasElement> =>
  scanVideos(root).canvases;

/** Whether a mutation may have added or removed a video or a shadow root: text and our own hosts cannot. */
export function mayMatter(record: MutationRecord): boolean {
  const touches = (nodes: NodeList) =>
    [...nodes].some((n) => n.nodeType === Node.ELEMENT_NODE && !isOwnNode(n));
  return touches(record.addedNodes) || touches(record.removedNodes);
}

export class VideoFinder {
  private videos = new Set<HTMLVideoElement>();
  private observed = new WeakSet<Node>();
  private readonly observer: MutationObserver;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastScan = 0;

  constructor(
    private readonly doc: Document,
    private readonly options: VideoFinderOptions,
  ) {
    this.observer = new MutationObserver((records) => {
      if (records.some(mayMatter)) this.schedule();
    });
    options.signal.addEventListener('abort', () => {
      this.observer.disconnect();
      clearTimeout(this.timer);
      this.timer = undefined;
    });
    // the first scan does not call back: the owner reads `current` once constructed
    this.rescan(false);
  }

  get current(): ReadonlySet<HTMLVideoElement> {
    return this.videos;
  }

  /** Full rescan now; tells the owner if the set changed. */
  rescan(notify = true): void {
    this.timer = undefined;
    if (this.options.signal.aborted) return;
    this.lastScan = performance.now();
    const { videos, shadowRoots } = scanVideos(this.doc);
    for (const root of [this.doc, ...shadowRoots]) this.observe(root);
    const changed = videos.size !== this.videos.size || [...videos].some((v) => !this.videos.has(v));
    this.videos = videos;
    if (changed && notify) this.options.onChange(videos);
  }

  private observe(root: Document | ShadowRoot): void {
    if (this.observed.has(root)) return;
    this.observed.add(root);
    this.observer.observe(root, { childList: true, subtree: true });
  }

  private schedule(): void {
    if (this.timer !== undefined || this.options.signal.aborted) return;
    const wait = Math.max(0, (this.options.throttleMs ?? 150) - (performance.now() - this.lastScan));
    this.timer = setTimeout(() => this.rescan(), wait);
  }
}
