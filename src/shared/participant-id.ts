/**
 * The participant behind a face: each tile (video source) is one participant, its oldest face
 * track; any other face in the same tile is a sub-participant `<tile>/<track>`. The rule needs no
 * memory, so the background (sessions) and the content script (overlay colours) agree, also
 * after a service-worker restart.
 */
export function participantId(sourceId: string, trackId: number, trackIds: readonly number[]): string {
  return trackId === Math.min(...trackIds) ? sourceId : `${sourceId}/${trackId}`;
}
