/**
 * The popup talks to the extension only through this interface, so the UI can be developed and
 * tested against MockClient without an extension around it.
 */
import type { BackendName, EngineStatus, TabStatus } from '../shared/protocol';

export interface ExtensionClient {
  /** The tab the popup is about: `?tabId=` when opened as a page, else the active tab. */
  currentTabId(): Promise<number>;
  getTabStatus(tabId: number): Promise<TabStatus>;
  setEnabled(tabId: number, enabled: boolean): Promise<TabStatus>;
  /** The engine's state (does not start it). */
  engineStatus(): Promise<EngineStatus>;
  /** The back-end setting ('auto': the fastest that works); answers the engine's new state. */
  setBackend(backend: BackendName | 'auto'): Promise<EngineStatus>;
  /** Calls back when the background stores a new state for the tab; returns an unsubscribe. */
  watchTab(tabId: number, onChange: () => void): () => void;
}

export class MockClient implements ExtensionClient {
  private listeners = new Set<() => void>();
  readonly calls: string[] = [];

  constructor(
    public status: TabStatus,
    public engine: EngineStatus = { state: 'idle' },
  ) {}

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

  watchTab(_tabId: number, onChange: () => void): () => void {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  }

  /** Test helper: the background reports a change. */
  update(patch: Partial<TabStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const l of this.listeners) l();
  }
}
