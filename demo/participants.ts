/**
 * Faces of the 1927 Solvay Conference photograph (2048x922 colour version): the centre of each
 * face, in photograph pixels. The first eight are the centres of the boxes MediaPipe's short-range
 * detector draws (measured on the demo with `?still=1&tiles=12`, where a tile shows its picture
 * unscaled by object-fit), so tests can tell a misplaced box from the detector's own framing; the
 * others are hand-placed.
 */
export interface Participant {
  name: string;
  /** Face centre in the photograph, pixels. */
  x: number;
  y: number;
}

export const PARTICIPANTS: Participant[] = [
  { name: 'Marie Curie', x: 627, y: 311 },
  { name: 'Albert Einstein', x: 1132, y: 305 },
  { name: 'Max Planck', x: 411, y: 321 },
  { name: 'Hendrik Lorentz', x: 874, y: 323 },
  { name: 'Niels Bohr', x: 1809, y: 224 },
  { name: 'Paul Dirac', x: 1000, y: 224 },
  { name: 'Erwin Schrödinger', x: 1161, y: 97 },
  { name: 'Werner Heisenberg', x: 1633, y: 93 },
  { name: 'Wolfgang Pauli', x: 1463, y: 99 },
  { name: 'Paul Langevin', x: 1345, y: 282 },
  { name: 'Louis de Broglie', x: 1395, y: 227 },
  { name: 'Max Born', x: 1617, y: 211 },
];

/** How many join when the page opens. */
export const INITIAL_PARTICIPANTS = 9;
