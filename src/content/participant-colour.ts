/**
 * A colour per participant, the same wherever they appear: a hue from a hash of the participant's
 * id (the tile's source id for its primary face, or \`<tile>/<track>\` for another face in the tile,
 * as the session names them), spaced by the golden angle so neighbours differ.
 */
export { participantId } from '../shared/participant-id';

export function participantHue(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return Math.round(((h >>> 0) % 360) * 137.508) % 360;
}

export function participantColour(id: string): string {
  return `hsl(${participantHue(id)} 80% 60%)`;
}
