/**
 * Finds every <video> of the page, including those in open shadow roots and those added later.
 * Mutations (of the document and of every open shadow root found) schedule a rescan, at most one
 * per `throttleMs`; the owner is told when the set of videos changes. Closed shadow roots are, by
 * design, out of reach.
 */
export interface VideoFinderOptions {
  onChange: (videos: ReadonlySet<HTMLVideoElement>) => void;
  signal: AbortSignal;
  throttleMs?: number;
}

/** All videos under `root`, descending into open shadow roots. */
export function collectVideos(
  root: Document | ShadowRoot,
  into = new Set<HTMLVideoElement>(),
): Set<HTMLVideoElement> {
  for (const v of root.querySelectorAll('video')) into.add(v);
  for (const shadowRoot of openShadowRoots(root)) collectVideos(shadowRoot, into);
  return into;
}

export function openShadowRoots(root: Document | ShadowRoot): ShadowRoot[] {
  const found: ShadowRoot[] = [];
  const start = root instanceof Document ? root.documentElement : root;
  const walker = (root instanceof Document ? root : root.ownerDocument).createTreeWalker(
    start,
    NodeFilter.SHOW_ELEMENT,
  );
  for (let node = walker.currentNode as Element | null; node; node = walker.nextNode() as Element | null) {
    if (node.shadowRoot) found.push(node.shadowRoot);
  }
  return found;
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
      if (records.some((r) => r.addedNodes.length > 0 || r.removedNodes.length > 0)) this.schedule();
    });
    options.signal.addEventListener('abort', () => {
      this.observer.disconnect();
      clearTimeout(this.timer);
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
    this.lastScan = performance.now();
    this.observe(this.doc);
    const found = collectVideos(this.doc);
    for (const shadowRoot of openShadowRoots(this.doc)) this.observe(shadowRoot);
    const changed = found.size !== this.videos.size || [...found].some((v) => !this.videos.has(v));
    this.videos = found;
    if (changed && notify) this.options.onChange(found);
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
