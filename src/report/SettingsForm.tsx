import { useEffect, useState } from 'preact/hooks';
import type { ExtensionClient } from '../ui/client';
import { BACKEND_NAMES } from '../shared/protocol';
import { sitePattern, SMOOTHING, type Settings, type Smoothing } from '../shared/settings';

/** Every setting, saved as soon as it changes; errors in words next to the form. */
export function SettingsForm({ client }: { client: ExtensionClient }) {
  const [settings, setSettings] = useState<Settings | undefined>();
  const [site, setSite] = useState('');
  const [message, setMessage] = useState<{ error: boolean; text: string } | undefined>();

  useEffect(() => {
    client
      .getSettings()
      .then(setSettings)
      .catch((e: unknown) => setMessage({ error: true, text: e instanceof Error ? e.message : String(e) }));
  }, [client]);

  const save = (patch: Partial<Settings>) =>
    client
      .saveSettings(patch)
      .then((s) => {
        setSettings(s);
        setMessage({ error: false, text: 'Saved.' });
      })
      .catch((e: unknown) => setMessage({ error: true, text: e instanceof Error ? e.message : String(e) }));

  if (!settings) return <p class="message">Reading the settings…</p>;
  return (
    <form class="settings" aria-label="Settings" data-testid="settings" onSubmit={(e) => e.preventDefault()}>
      <NumberChoice
        label="Frames analysed per second, per video"
        testId="setting-rate"
        value={settings.samplingRate}
        choices={[0.5, 1, 2, 3, 5]}
        onChange={(samplingRate) => void save({ samplingRate })}
      />
      <NumberChoice
        label="Frames analysed per second, all videos of a page together"
        testId="setting-budget"
        value={settings.frameBudget}
        choices={[2, 5, 10, 15, 20, 30]}
        onChange={(frameBudget) => void save({ frameBudget })}
      />
      <label>
        <span>How frames reach the engine</span>
        <select
          data-testid="setting-frame-path"
          value={settings.framePath}
          onChange={(e) => void save({ framePath: e.currentTarget.value as Settings['framePath'] })}
        >
          <option value="auto">Automatic: pictures through a hidden extension frame, else JPEG</option>
          <option value="jpeg">JPEG messages only (if a site misbehaves with the hidden frame)</option>
        </select>
      </label>
      <label>
        <span>Overlay</span>
        <select
          data-testid="setting-overlay"
          value={settings.overlayStyle}
          onChange={(e) => void save({ overlayStyle: e.currentTarget.value as Settings['overlayStyle'] })}
        >
          <option value="full">Full: a box and a label on each face</option>
          <option value="compact">Compact: one badge per tile</option>
        </select>
      </label>
      <label>
        <span>Smoothing over time</span>
        <select
          data-testid="setting-smoothing"
          value={settings.smoothing}
          onChange={(e) => void save({ smoothing: e.currentTarget.value as Smoothing })}
        >
          {(Object.keys(SMOOTHING) as Smoothing[]).map((k) => (
            <option key={k} value={k}>
              {k === 'off' ? 'Off (each frame as it is)' : `${k} (${SMOOTHING[k]} ms half-life)`}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Back end</span>
        <select
          data-testid="setting-backend"
          value={settings.backend}
          onChange={(e) => void save({ backend: e.currentTarget.value as Settings['backend'] })}
        >
          <option value="auto">Automatic (fastest that works)</option>
          {BACKEND_NAMES.map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Keep sessions for (days)</span>
        <input
          type="number"
          min={1}
          max={365}
          data-testid="setting-retention"
          value={settings.retentionDays}
          onChange={(e) => void save({ retentionDays: Number(e.currentTarget.value) })}
        />
      </label>
      <fieldset>
        <legend>Sites where analysis starts by itself</legend>
        <p class="muted">
          Adding a site asks your browser to let MoodLens read it; removing it gives that access back.
        </p>
        <ul>
          {settings.autoStart.map((p) => (
            <li key={p}>
              {p}{' '}
              <button
                type="button"
                aria-label={`Remove ${p}`}
                onClick={() => void save({ autoStart: settings.autoStart.filter((x) => x !== p) })}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
        <label>
          <span class="visually-hidden">Site address</span>
          <input placeholder="meet.google.com" value={site} onInput={(e) => setSite(e.currentTarget.value)} />
        </label>
        <button
          type="button"
          onClick={() => {
            try {
              const pattern = sitePattern(site);
              if (!settings.autoStart.includes(pattern))
                void save({ autoStart: [...settings.autoStart, pattern] }).then(() => setSite(''));
            } catch (e) {
              setMessage({ error: true, text: e instanceof Error ? e.message : String(e) });
            }
          }}
        >
          Add site
        </button>
      </fieldset>
      {message && (
        <p
          class={message.error ? 'message error' : 'message'}
          role={message.error ? 'alert' : 'status'}
          data-testid="settings-message"
        >
          {message.text}
        </p>
      )}
    </form>
  );
}

/** A labelled select of numbers. */
function NumberChoice(props: {
  label: string;
  testId: string;
  value: number;
  choices: number[];
  onChange: (value: number) => void;
}) {
  return (
    <label>
      <span>{props.label}</span>
      <select
        data-testid={props.testId}
        value={String(props.value)}
        onChange={(e) => props.onChange(Number(e.currentTarget.value))}
      >
        {props.choices.map((r) => (
          <option key={r} value={String(r)}>
            {r}
          </option>
        ))}
      </select>
    </label>
  );
}
