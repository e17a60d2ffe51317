import { useEffect, useState } from 'preact/hooks';
import { BACKEND_NAMES, type BackendName, type EngineStatus } from '../shared/protocol';
import type { ExtensionClient } from '../ui/client';

export const BACKEND_LABELS: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU',
};
const LABELS = BACKEND_LABELS;

/** The engine's state in words, and the back-end setting. Polls while the popup is open. */
export function EngineInfo({
  client,
  pollMs = 2000,
  onStatus,
}: {
  client: ExtensionClient;
  pollMs?: number;
  /** Told each state read (the popup's live line names the back end). */
  onStatus?: (status: EngineStatus) => void;
}) {
  const [status, setStatus] = useState<EngineStatus | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let alive = true;
    const poll = () =>
      client
        .engineStatus()
        .then((s) => alive && (setStatus(s), setError(undefined), onStatus?.(s)))
        .catch((e: unknown) => alive && setError(e instanceof Error ? e.message : String(e)));
    void poll();
    const timer = setInterval(() => void poll(), pollMs);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [client, pollMs, onStatus]);

  const choose = async (value: string) => {
    setBusy(true);
    try {
      setStatus(await client.setBackend(value as BackendName | 'auto'));
      setError(undefined);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="engine" aria-label="Engine">
      <p class="message" role="status" data-testid="engine-status" data-state={status?.state}>
        {describe(status)}
      </p>
      {status?.state === 'ready' && status.recoveries ? (
        <p class="note" data-testid="engine-recovered">
          {status.failedBackends?.map((f) => `${LABELS[f.name]} stopped: ${f.error}.`).join(' ')} Analysis
          went on with {status.backend ? LABELS[status.backend] : 'another back end'}.
        </p>
      ) : null}
      {error && (
        <p class="message error" role="alert">
          {error}
        </p>
      )}
      <label class="field">
        <span>Back end</span>
        <select
          data-testid="backend-select"
          disabled={busy}
          value={status?.override ?? 'auto'}
          onChange={(e) => void choose(e.currentTarget.value)}
        >
          <option value="auto">Automatic (fastest that works)</option>
          {BACKEND_NAMES.map((b) => (
            <option key={b} value={b}>
              {LABELS[b]}
            </option>
          ))}
        </select>
      </label>
    </section>
  );
}

function describe(status: EngineStatus | undefined): string {
  if (!status) return 'Asking the engine…';
  switch (status.state) {
    case 'idle':
      return 'The engine starts when analysis is switched on.';
    case 'loading':
      return 'The engine is loading its models…';
    case 'error':
      return `The engine could not start: ${status.error ?? 'unknown error'}. Reload the extension, or choose another back end.`;
    case 'ready': {
      const base = status.backend ? LABELS[status.backend] : 'an unknown back end';
      const threads = status.wasmThreads;
      const name = threads && threads > 1 ? `${base} (${threads} threads)` : base;
      return `Engine running on ${name}: ${status.backendReason ?? ''}.`;
    }
  }
}
