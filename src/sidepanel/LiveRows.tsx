/** One row per participant: name (renamable), current expression, and the live strip. */
import { EMOTION_COLOURS } from '../shared/emotions';
import type { Timeline } from '../shared/session';
import { percent } from '../ui/format';
import { LIVE_WINDOW_MS, type LiveModel } from '../ui/live-model';
import { LiveStrip } from '../ui/LiveStrip';
import { ParticipantName } from '../ui/ParticipantName';

const EMPTY: Timeline = { participantId: '', t: [], p: [] };

export function LiveRows({
  model,
  ids,
  names,
  onRename,
}: {
  model: LiveModel;
  ids: string[];
  names: Map<string, string>;
  onRename: ((id: string, name: string) => Promise<void>) | undefined;
}) {
  const to = model.latest;
  const from = to - LIVE_WINDOW_MS;
  return (
    <ul class="live-rows" aria-label="Participants now">
      {ids.map((id) => {
        const name = names.get(id) ?? 'New participant';
        const now = model.current(id);
        const tl = model.recent.get(id) ?? EMPTY;
        return (
          <li
            key={id}
            class="live-row"
            data-testid="live-row"
            data-participant={id}
            data-samples={tl.t.length}
            data-latest={tl.t.at(-1) ?? 0}
          >
            <div class="row-head">
              {onRename ? (
                <ParticipantName name={name} onRename={(n) => onRename(id, n)} />
              ) : (
                <span class="pname">{name}</span>
              )}
              <span class="emotion" data-testid="live-emotion">
                {now && to - now.t <= 10_000 ? (
                  <>
                    <span
                      class="swatch"
                      style={{ background: EMOTION_COLOURS[now.dominant] }}
                      aria-hidden="true"
                    />
                    {now.dominant} {percent(now.p)}
                  </>
                ) : (
                  <span class="muted">no face now</span>
                )}
              </span>
            </div>
            <LiveStrip timeline={tl} name={name} from={from} to={to} span="last 3 minutes" />
          </li>
        );
      })}
    </ul>
  );
}
