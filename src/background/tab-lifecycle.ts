/**
 * The one owner of a tab's page-level state: what it means when the tab moves to another URL
 * (tabs.onUpdated), when a content script starts in it (content>bg:hello) or reports a change
 * (content>bg:videosChanged), and when it closes. Each of these reads the tab's state, decides and
 * writes; they run one at a time per tab, so the outcome does not depend on which of two racing
 * events (the browser's URL change and the page's own report of it) comes first.
 *
 * A route change within the origin keeps the page's analysis and session; a move to another origin
 * ends them (route-change.ts). The queue is in memory: it serialises within one worker lifetime,
 * which is all a burst of racing events spans; the state itself is in storage.session.
 */
import type { VideoReport } from '../shared/protocol';
import { Turns } from '../shared/turns';
import { routeChange, sessionGoesOn } from './route-change';
import { reportPatch, withFramesPresent, withFrameVideos, type TabState } from './tab-state';

export interface TabLifecycleDeps {
  getState(tabId: number): Promise<TabState>;
  patchState(tabId: number, patch: Partial<TabState>): Promise<TabState>;
  updateState(tabId: number, change: (state: TabState) => TabState): Promise<TabState>;
  clearState(tabId: number): Promise<void>;
  /** Ends the tab's running session, if any (the recorder). */
  endSession(tabId: number): Promise<unknown>;
  showBadge(tabId: number, on: boolean): Promise<void>;
  /** Tells the content script in the tab, if one answers, to stop analysing. */
  stopContent(tabId: number): Promise<void>;
  /** Ends the tab's capture (the offscreen capture and the page's capture overlay); writes no state. */
  stopCapture(tabId: number): Promise<void>;
  /** Tells the content scripts of all the tab's frames (an embedded call) to analyse or not. */
  setFramesEnabled(tabId: number, enabled: boolean): Promise<void>;
  /** Whether analysis starts by itself on this URL (auto-start site, notice acknowledged). */
  autoStarts(url: string): Promise<boolean>;
}

export class TabLifecycle {
  private readonly turns = new Turns<number>();

  constructor(private readonly deps: TabLifecycleDeps) {}

  /** The tab's URL changed (tabs.onUpdated). */
  navigated(tabId: number, url: string): Promise<void> {
    return this.turns.run(tabId, async () => {
      const state = await this.deps.getState(tabId);
      // a tab MoodLens never saw a page of has nothing to end
      if (state.url === undefined) return;
      const change = routeChange(state.url, url);
      if (change === 'unchanged') return;
      if (change === 'same-origin') {
        await this.deps.patchState(tabId, { url });
        return;
      }
      // the capture shows the tab, whatever page it shows now: it ends with the session
      if (state.capture) await this.deps.stopCapture(tabId);
      await this.end(tabId, {
        url,
        capture: false,
        videos: 0,
        videosSeen: 0,
        unreadable: 0,
        unreadableReason: undefined,
        frames: undefined,
      });
      await this.deps.stopContent(tabId);
      await this.deps.showBadge(tabId, false);
    });
  }

  /**
   * A content script started in the tab (a new document, or the script injected again into the
   * same one). Analysis goes on where it was on and the page is the same or of the same origin;
   * otherwise it is on only where it starts by itself. Returns whether it is on.
   */
  hello(tabId: number, report: VideoReport): Promise<boolean> {
    return this.turns.run(tabId, async () => {
      const previous = await this.deps.getState(tabId);
      const goesOn = previous.enabled && sessionGoesOn(previous.url, report.url);
      const enabled = goesOn || (await this.deps.autoStarts(report.url));
      // anything else is a new session (started by the first analysed frame)
      if (!goesOn) await this.end(tabId);
      await this.deps.patchState(tabId, { ...reportPatch(report), enabled });
      await this.deps.showBadge(tabId, enabled);
      // frames whose scripts started before the top one's follow it
      await this.deps.setFramesEnabled(tabId, enabled);
      return enabled;
    });
  }

  /**
   * The content script's report (its videos, whether it analyses, its URL after a single-page
   * app's route change). A report from a page of another origin than the tab's comes from a
   * document the tab has left (sent as it unloaded) and is dropped.
   */
  reported(tabId: number, report: VideoReport): Promise<void> {
    return this.turns.run(tabId, async () => {
      const state = await this.deps.getState(tabId);
      if (state.url !== undefined && !sessionGoesOn(state.url, report.url)) return;
      await this.deps.patchState(tabId, reportPatch(report));
      await this.deps.showBadge(tabId, report.enabled);
      if (!report.enabled) await this.deps.endSession(tabId);
      // the other frames follow the top one (a frame that said hello while it was off, or just on)
      if (report.enabled !== state.enabled) await this.deps.setFramesEnabled(tabId, report.enabled);
    });
  }

  /**
   * What the popup's look at the tab found (the top frame's report, the frames the script runs
   * in): the videos count, frames that are gone no longer do. Not whether the page analyses: a
   * script whose hello is still unanswered says no while the tab's turn has switched it on.
   */
  found(tabId: number, report: VideoReport, frames: number[]): Promise<TabState> {
    return this.turns.run(tabId, async () => {
      const findings = reportPatch(report);
      delete findings.enabled;
      await this.deps.patchState(tabId, findings);
      return this.deps.updateState(tabId, withFramesPresent(frames));
    });
  }

  /**
   * A content script started in a frame below the top one (a call embedded in an iframe): its
   * videos count for the tab, and it analyses when the tab does. Returns whether it does.
   */
  frameHello(tabId: number, frameId: number, report: VideoReport): Promise<boolean> {
    return this.turns.run(tabId, async () => (await this.frameVideos(tabId, frameId, report)).enabled);
  }

  /** The report of a frame below the top one: only its videos count; the page is the top frame's. */
  frameReported(tabId: number, frameId: number, report: VideoReport): Promise<void> {
    return this.turns.run(tabId, async () => {
      await this.frameVideos(tabId, frameId, report);
    });
  }

  private frameVideos(tabId: number, frameId: number, report: VideoReport): Promise<TabState> {
    const { videos, videosSeen, unreadable, unreadableReason } = report;
    return this.deps.updateState(
      tabId,
      withFrameVideos(frameId, { videos, videosSeen, unreadable, unreadableReason }),
    );
  }

  /**
   * The popup's capture of the tab (tab-capture mode) started while the tab showed `startedAt`.
   * Recorded in the tab's turn; if the tab has left for another origin meanwhile, the capture would
   * show a page the user did not ask for, and it is stopped instead.
   */
  captureStarted(tabId: number, startedAt: string | undefined): Promise<TabState> {
    return this.turns.run(tabId, async () => {
      const state = await this.deps.getState(tabId);
      if (startedAt !== undefined && state.url !== undefined && !sessionGoesOn(startedAt, state.url)) {
        await this.deps.stopCapture(tabId);
        return this.deps.patchState(tabId, { capture: false });
      }
      return this.deps.patchState(tabId, { capture: true });
    });
  }

  /** The tab's capture ended (stopped from the popup, or by itself). */
  captureEnded(tabId: number): Promise<TabState> {
    return this.turns.run(tabId, () => this.deps.patchState(tabId, { capture: false }));
  }

  /** The tab closed: its session ends and its state goes. */
  closed(tabId: number): Promise<void> {
    return this.turns.run(tabId, async () => {
      try {
        await this.end(tabId);
      } finally {
        await this.deps.clearState(tabId);
      }
    });
  }

  /**
   * Analysis off first, so that frames still on their way open no session of their own (the
   * recorder checks, in the tab's turn, that analysis is on); then the session ends.
   */
  private async end(tabId: number, patch: Partial<TabState> = {}): Promise<void> {
    await this.deps.patchState(tabId, { ...patch, enabled: false });
    await this.deps.endSession(tabId);
  }
}
