/**
 * Turns the engine's results into sessions. A tab's session starts with its first analysed frame
 * after analysis is switched on and ends when analysis stops, the tab navigates or closes. The
 * session id lives in the tab's storage.session state, so a restarted service worker carries on
 * with the same session.
 *
 * Writes are group-committed: frames that arrive while a write is running go into the next
 * transaction together, and a frame's reply goes back to the page only once its samples are
 * stored, so stopping the worker loses nothing that was acknowledged. Nothing else waits on a
 * frame's way: old chunks are downsampled when the session ends and on the background's
 * housekeeping alarm, and the summary is kept by the store's append.
 *
 * Ending a session and taking a frame into one are serialised per tab: a frame still on its way
 * when analysis is switched off neither lands after the session's end nor starts a new session.
 *
 * Participants: each tile (video) is one, the face the engine marks primary; any other face in the
 * same tile is a sub-participant `<tile>/<track>` (src/shared/participant-id.ts). The engine keeps
 * the memory that decision needs, so nothing here is lost when the worker restarts.
 */
import { dominantOf } from '../shared/emotions';
import type { FrameResult, LiveStats } from '../shared/protocol';
import type { Sample } from '../shared/session';
import { participantId } from '../shared/participant-id';
import type { SeenParticipant, SessionStore } from '../shared/session-store';
import { Turns } from '../shared/turns';

export type { FrameResult };

type LiveFace = LiveStats['faces'][number];

interface TabSessionRef {
  /**
   * The tab's running session, and whether analysis is on in it (a frame that arrives when it is
   * off is not recorded); one read, as it is made for every frame.
   */
  get(tabId: number): Promise<{ sessionId: string | undefined; recording: boolean }>;
  set(tabId: number, sessionId: string | undefined): Promise<void>;
}

interface Pending {
  sessionId: string;
  samples: Sample[];
  participants: SeenParticipant[];
  resolve: () => void;
  reject: (e: unknown) => void;
}

export interface RecorderOptions {
  now: () => number;
}

export class SessionRecorder {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  /** Ephemeral live view per tab (rebuilt within seconds after a worker restart). */
  private live = new Map<
    number,
    { faces: Map<string, LiveFace>; frames: { at: number; latency: number }[] }
  >();
  private readonly options: RecorderOptions;
  private storeErrors = new Map<number, string>();
  /** Each tab's session decisions, one at a time (see the module note). */
  private turns = new Turns<number>();

  constructor(
    private readonly store: () => Promise<SessionStore>,
    private readonly sessions: TabSessionRef,
    options: Partial<RecorderOptions> = {},
  ) {
    this.options = { now: Date.now, ...options };
  }

  /** A new session for the tab (called in the tab's turn, so created once). */
  private async startSession(
    tabId: number,
    page: { title: string; url: string },
    at: number,
  ): Promise<string> {
    const store = await this.store();
    let origin = '';
    try {
      origin = new URL(page.url).origin;
    } catch {
      // an odd URL keeps an empty origin
    }
    const meta = await store.createSession({ title: page.title.slice(0, 200), origin, startedAt: at });
    await this.sessions.set(tabId, meta.id);
    return meta.id;
  }

  /**
   * Stores the faces of one analysed frame; resolves once they are in the database.
   * `label` is the name the page shows on the tile, when it shows one.
   */
  async record(
    tabId: number,
    page: { title: string; url: string },
    result: FrameResult,
    label?: string,
  ): Promise<void> {
    const now = this.options.now();
    this.noteLive(tabId, result, now);
    if (result.faces.length === 0) return;
    const faces = result.faces.map((f) => ({ id: participantId(result.sourceId, f), face: f }));
    const samples = faces.map(({ id, face }) => ({
      participantId: id,
      t: result.timestamp,
      p: face.probabilities,
    }));
    const participants = faces.map(({ id, face }) => ({
      id,
      label: label && !face.primary ? `${label} (another face)` : label,
      firstSeen: result.timestamp,
    }));
    // decided in the tab's turn; the write itself is awaited outside it, so frames group-commit
    const stored = await this.turns.run(tabId, async () => {
      const tab = await this.sessions.get(tabId);
      if (!tab.recording) return undefined;
      const sessionId = tab.sessionId ?? (await this.startSession(tabId, page, result.timestamp));
      return {
        sessionId,
        written: new Promise<void>((resolve, reject) => {
          this.queue.push({ sessionId, samples, participants, resolve, reject });
          this.flushing ??= this.flush();
        }),
      };
    });
    if (!stored) return;
    try {
      await stored.written;
      this.storeErrors.delete(tabId);
    } catch (error) {
      this.storeErrors.set(tabId, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  private async flush(): Promise<void> {
    try {
      const store = await this.store();
      while (this.queue.length) {
        const batch = this.queue.splice(0);
        const bySession = new Map<string, Pending[]>();
        for (const p of batch) bySession.set(p.sessionId, [...(bySession.get(p.sessionId) ?? []), p]);
        for (const [sessionId, items] of bySession) {
          try {
            await store.append(
              sessionId,
              items.flatMap((i) => i.samples),
              items.flatMap((i) => i.participants),
            );
            for (const i of items) i.resolve();
          } catch (error) {
            for (const i of items) i.reject(error);
          }
        }
      }
    } catch (error) {
      for (const p of this.queue.splice(0)) p.reject(error);
    } finally {
      this.flushing = undefined;
    }
  }

  /** Ends the tab's session (analysis off, navigation, tab closed). */
  end(tabId: number): Promise<string | undefined> {
    this.live.delete(tabId);
    return this.turns.run(tabId, async () => {
      const { sessionId } = await this.sessions.get(tabId);
      if (!sessionId) return undefined;
      // every frame taken into the session before this turn is written first
      await this.flushing;
      await this.sessions.set(tabId, undefined);
      await (await this.store()).endSession(sessionId, this.options.now());
      await (await this.store()).compact(sessionId, Number.POSITIVE_INFINITY);
      return sessionId;
    });
  }

  private noteLive(tabId: number, result: FrameResult, now: number): void {
    let live = this.live.get(tabId);
    if (!live) this.live.set(tabId, (live = { faces: new Map(), frames: [] }));
    live.frames.push({ at: now, latency: now - result.timestamp });
    live.frames = live.frames.filter((f) => now - f.at <= 10_000);
    for (const f of result.faces) {
      const id = participantId(result.sourceId, f);
      const d = dominantOf(f.probabilities);
      live.faces.set(id, {
        participantId: id,
        dominant: d.emotion,
        confidence: d.p,
        probabilities: f.probabilities,
        at: now,
      });
    }
    for (const [id, f] of live.faces) if (now - f.at > 10_000) live.faces.delete(id);
  }

  async liveStats(tabId: number): Promise<LiveStats> {
    const now = this.options.now();
    const live = this.live.get(tabId);
    const frames = live?.frames.filter((f) => now - f.at <= 10_000) ?? [];
    const latencies = frames.map((f) => f.latency).sort((a, b) => a - b);
    const span = frames.length > 1 ? ((frames.at(-1)?.at ?? 0) - (frames[0]?.at ?? 0)) / 1000 : 0;
    return {
      sessionId: (await this.sessions.get(tabId)).sessionId,
      faces: [...(live?.faces.values() ?? [])].filter((f) => now - f.at <= 10_000),
      fps: span > 0 ? (frames.length - 1) / span : 0,
      latencyMs: latencies.length ? latencies[Math.floor(latencies.length / 2)] : undefined,
      storeError: this.storeErrors.get(tabId),
    };
  }
}
