import { describe, expect, it } from 'vitest';
import { judgeVideo, MIN_VIDEO_SIZE } from './eligibility';

const base = { connected: true, width: 320, height: 240, visible: true };

describe('judgeVideo', () => {
  it('accepts a visible video of at least 64 px on each side', () => {
    expect(judgeVideo(base)).toEqual({ ok: true });
    expect(judgeVideo({ ...base, width: MIN_VIDEO_SIZE, height: MIN_VIDEO_SIZE })).toEqual({ ok: true });
  });

  it('rejects tiny videos (either side under 64 px)', () => {
    expect(judgeVideo({ ...base, width: 63.9 })).toEqual({ ok: false, reason: 'tiny' });
    expect(judgeVideo({ ...base, height: 40 })).toEqual({ ok: false, reason: 'tiny' });
  });

  it('rejects zero-size, hidden and detached videos, in that order of precedence', () => {
    expect(judgeVideo({ ...base, connected: false, visible: false })).toEqual({
      ok: false,
      reason: 'detached',
    });
    expect(judgeVideo({ ...base, width: 0, visible: false })).toEqual({ ok: false, reason: 'zero-size' });
    expect(judgeVideo({ ...base, visible: false })).toEqual({ ok: false, reason: 'hidden' });
  });
});
