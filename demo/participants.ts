/** Faces of the 1927 Solvay Conference photograph (2048x922 colour version): centre of each face. */
export interface Participant {
  name: string;
  /** Face centre in the photograph, pixels. */
  x: number;
  y: number;
}

export const PARTICIPANTS: Participant[] = [
  { name: 'Marie Curie', x: 603, y: 312 },
  { name: 'Albert Einstein', x: 1130, y: 312 },
  { name: 'Max Planck', x: 411, y: 299 },
  { name: 'Hendrik Lorentz', x: 869, y: 303 },
  { name: 'Niels Bohr', x: 1809, y: 224 },
  { name: 'Paul Dirac', x: 993, y: 211 },
  { name: 'Erwin Schrödinger', x: 1157, y: 70 },
  { name: 'Werner Heisenberg', x: 1629, y: 77 },
  { name: 'Wolfgang Pauli', x: 1466, y: 77 },
  { name: 'Paul Langevin', x: 1345, y: 282 },
  { name: 'Louis de Broglie', x: 1395, y: 227 },
  { name: 'Max Born', x: 1617, y: 211 },
];

/** How many join when the page opens. */
export const INITIAL_PARTICIPANTS = 9;
