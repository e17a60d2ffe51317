/**
 * The participant behind a face: each tile (video source) is one participant, the face the engine
 * marks `primary` (src/engine/primary-track.ts decides it, with memory, once per frame); any other
 * face in the same tile is a sub-participant `<tile>/<track>`. The mark travels with the result, so
 * the background (sessions) and the content script (overlay colours) agree without re-deriving it.
 */
export function participantId(sourceId: string, face: { trackId: number; primary: boolean }): string {
  return face.primary ? sourceId : `${sourceId}/${face.trackId}`;
}
