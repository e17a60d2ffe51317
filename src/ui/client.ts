/**
 * The popup and the report page talk to the extension only through this interface, so the UI can
 * be developed and tested against MockClient without an extension around it.
 */
import type { BackendName, EngineStatus, LiveSample, LiveStats, TabStatus } from '../shared/protocol';
import type { SessionData, SessionMeta } from '../shared/session';
import { DEFAULT_SETTINGS, type Settings } from '../shared/settings';
import { summariseSession, type CallSummary } from '../shared/summary';

export interface ExtensionClient {
  /** The tab the popup is about: `?tabId=` when opened as a page, else the active tab. */
  currentTabId(): Promise<number>;
  getTabStatus(tabId: number): Promise<TabStatus>;
  setEnabled(tabId: number, enabled: boolean): Promise<TabStatus>;
  /**
   * Tab-capture mode (Chrome): must be called from a user gesture (it asks for the optional
   * tabCapture permission, then for the tab's stream). Rejects, in words, when the user refuses.
   */
  setCapture(tabId: number, on: boolean): Promise<TabStatus>;
  /** The engine's state (does not start it). */
  engineStatus(): Promise<EngineStatus>;
  /** The back-end setting ('auto': the fastest that works); answers the engine's new state. */
  setBackend(backend: BackendName | 'auto'): Promise<EngineStatus>;
  /** Calls back when the background stores a new state for the tab; returns an unsubscribe. */
  watchTab(tabId: number, onChange: () => void): () => void;
  /** What runs in the tab now: faces, frames per second, latency, its session. */
  live(tabId: number): Promise<LiveStats>;
  /**
   * Calls back with each analysed frame's samples as the background records them (pushed over a
   * port: the session is not read again); returns an unsubscribe.
   */
  watchSamples(tabId: number, onSamples: (samples: LiveSample[]) => void): () => void;
  /** Calls back with the tab that becomes active in this page's window (a panel follows it). */
  watchActiveTab(onChange: (tabId: number) => void): () => void;
  /**
   * Opens the side panel (Chrome) or the sidebar (Firefox). Call it in the click itself: the
   * browsers open it only in a user gesture, so nothing may be awaited before.
   */
  openSidePanel(tabId: number): Promise<void>;
  /** Sessions, newest first. */
  listSessions(): Promise<SessionMeta[]>;
  getSession(sessionId: string): Promise<SessionData | undefined>;
  /** The session's meta only (participants, counts): cheap to poll. */
  getSessionMeta(sessionId: string): Promise<SessionMeta | undefined>;
  /** The sessions' summaries, kept as samples are recorded: their timelines are not read. */
  getSummaries(sessionIds: string[]): Promise<Map<string, CallSummary>>;
  renameParticipant(sessionId: string, participantId: string, name: string): Promise<void>;
  deleteSessions(sessionIds: string[] | 'all'): Promise<number>;
  getSettings(): Promise<Settings>;
  /** Stores a change (asking for host permission when auto-start sites are added); answers the new settings. */
  saveSettings(patch: Partial<Settings>): Promise<Settings>;
  /** Whether the user has acknowledged the first-run notice. */
  noticeAcknowledged(): Promise<boolean>;
  acknowledgeNotice(): Promise<void>;
  /** Opens the full-page report (a session, or the history) in a tab. */
  openReport(sessionId?: string): Promise<void>;
}

export class MockClient implements ExtensionClient {
  private listeners = new Set<() => void>();
  readonly calls: string[] = [];
  sessions: SessionData[] = [];
  settings: Settings = { ...DEFAULT_SETTINGS };
  acknowledged = true;
  /** Whether the user grants tabCapture when setCapture asks for it. */
  captureGranted = true;
  liveStats: LiveStats = { sessionId: undefined, faces: [], fps: 0, latencyMs: undefined };
  private sampleListeners = new Set<{ tabId: number; on: (samples: LiveSample[]) => void }>();
  private activeListeners = new Set<(tabId: number) => void>();

  constructor(
    public status: TabStatus,
    public engine: EngineStatus = { state: 'idle' },
  ) {}

  currentTabId(): Promise<number> {
    return Promise.resolve(this.status.tabId);
  }

  getTabStatus(tabId: number): Promise<TabStatus> {
    this.calls.push(`getTabStatus ${tabId}`);
    return Promise.resolve({ ...this.status });
  }

  setEnabled(tabId: number, enabled: boolean): Promise<TabStatus> {
    this.calls.push(`setEnabled ${tabId} ${enabled}`);
    this.status = { ...this.status, enabled };
    return Promise.resolve({ ...this.status });
  }

  setCapture(tabId: number, on: boolean): Promise<TabStatus> {
    this.calls.push(`setCapture ${tabId} ${on}`);
    if (on && !this.captureGranted)
      return Promise.reject(new Error('MoodLens was not allowed to capture tabs (test).'));
    this.status = { ...this.status, capture: on, enabled: this.status.enabled || on };
    return Promise.resolve({ ...this.status });
  }

  engineStatus(): Promise<EngineStatus> {
    this.calls.push('engineStatus');
    return Promise.resolve({ ...this.engine });
  }

  setBackend(backend: BackendName | 'auto'): Promise<EngineStatus> {
    this.calls.push(`setBackend ${backend}`);
    const override = backend === 'auto' ? undefined : backend;
    this.engine = {
      ...this.engine,
      override,
      ...(this.engine.state === 'ready' ? { backend: override ?? 'wasm' } : {}),
    };
    return Promise.resolve({ ...this.engine });
  }

  watchTab(_tabId: number, onChange: () => void): () => void {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  }

  /** Test helper: the background reports a change. */
  update(patch: Partial<TabStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const l of this.listeners) l();
  }

  live(): Promise<LiveStats> {
    return Promise.resolve(structuredClone(this.liveStats));
  }

  watchSamples(tabId: number, onSamples: (samples: LiveSample[]) => void): () => void {
    const entry = { tabId, on: onSamples };
    this.sampleListeners.add(entry);
    return () => this.sampleListeners.delete(entry);
  }

  /** Test helper: the background pushes a frame's samples for the tab. */
  pushSamples(tabId: number, samples: LiveSample[]): void {
    for (const l of this.sampleListeners) if (l.tabId === tabId) l.on(structuredClone(samples));
  }

  /** How many views watch the tab's samples (tests). */
  sampleWatchers(tabId: number): number {
    return [...this.sampleListeners].filter((l) => l.tabId === tabId).length;
  }

  watchActiveTab(onChange: (tabId: number) => void): () => void {
    this.activeListeners.add(onChange);
    return () => this.activeListeners.delete(onChange);
  }

  /** Test helper: another tab becomes active. */
  activate(tabId: number): void {
    for (const l of this.activeListeners) l(tabId);
  }

  openSidePanel(tabId: number): Promise<void> {
    this.calls.push(`openSidePanel ${tabId}`);
    return Promise.resolve();
  }

  listSessions(): Promise<SessionMeta[]> {
    return Promise.resolve(
      this.sessions.map((s) => structuredClone(s.meta)).sort((a, b) => b.startedAt - a.startedAt),
    );
  }

  getSession(sessionId: string): Promise<SessionData | undefined> {
    const s = this.sessions.find((x) => x.meta.id === sessionId);
    return Promise.resolve(s && structuredClone(s));
  }

  getSessionMeta(sessionId: string): Promise<SessionMeta | undefined> {
    const s = this.sessions.find((x) => x.meta.id === sessionId);
    return Promise.resolve(s && structuredClone(s.meta));
  }

  getSummaries(sessionIds: string[]): Promise<Map<string, CallSummary>> {
    this.calls.push(`getSummaries ${sessionIds.join(',')}`);
    const found = this.sessions.filter((s) => sessionIds.includes(s.meta.id));
    return Promise.resolve(new Map(found.map((s) => [s.meta.id, summariseSession(s)])));
  }

  renameParticipant(sessionId: string, participantId: string, name: string): Promise<void> {
    this.calls.push(`rename ${sessionId} ${participantId} ${name}`);
    const p = this.sessions
      .find((x) => x.meta.id === sessionId)
      ?.meta.participants.find((x) => x.id === participantId);
    if (!p) return Promise.reject(new Error('no such participant in this session'));
    p.name = name;
    p.renamed = true;
    return Promise.resolve();
  }

  deleteSessions(sessionIds: string[] | 'all'): Promise<number> {
    this.calls.push(`delete ${String(sessionIds)}`);
    const before = this.sessions.length;
    this.sessions = sessionIds === 'all' ? [] : this.sessions.filter((s) => !sessionIds.includes(s.meta.id));
    return Promise.resolve(before - this.sessions.length);
  }

  getSettings(): Promise<Settings> {
    return Promise.resolve({ ...this.settings });
  }

  saveSettings(patch: Partial<Settings>): Promise<Settings> {
    this.calls.push(`saveSettings ${JSON.stringify(patch)}`);
    this.settings = { ...this.settings, ...patch };
    return Promise.resolve({ ...this.settings });
  }

  noticeAcknowledged(): Promise<boolean> {
    return Promise.resolve(this.acknowledged);
  }

  acknowledgeNotice(): Promise<void> {
    this.calls.push('acknowledgeNotice');
    this.acknowledged = true;
    return Promise.resolve();
  }

  openReport(sessionId?: string): Promise<void> {
    this.calls.push(`openReport ${sessionId ?? ''}`);
    return Promise.resolve();
  }
}
