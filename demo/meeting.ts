/**
 * The demo meeting: a grid of participant tiles, each a <video> playing a MediaStream (as real
 * meeting clients do), drawn from one face of the 1927 Solvay photograph with gentle head motion.
 * The user's camera can join as one more tile (mirrored, like a self-view).
 */
import photoUrl from './media/solvay1927.jpg';
import { INITIAL_PARTICIPANTS, PARTICIPANTS, type Participant } from './participants';

/**
 * Page options (the tests and the benchmark use them): `tiles=N` participants at the start,
 * `fit=cover|contain|fill` and `wide=1` (16:9 tiles) for the video layout, `mirror=I` shows the
 * I-th tile mirrored like a self-view, `still=1` stops the motion and puts each face right of centre.
 * Each <video> publishes where its face is (video pixels) as data-face-x / data-face-y.
 * Two buttons act on the first photo tile, to show that a tile stays one participant: "Someone walks
 * in" pastes a second face (another face of the photograph) into its lower left corner, and "Step
 * away" leaves the tile's own face out of the picture; each button toggles.
 */
const params = new URLSearchParams(location.search);
const option = (name: string): string | null => params.get(name);
const STILL = option('still') === '1';
const MIRROR = Number(option('mirror') ?? -1);
const grid = document.getElementById('grid') as HTMLElement;
grid.dataset.fit = option('fit') ?? 'cover';
if (option('wide') === '1') grid.classList.add('wide');
const notice = document.getElementById('notice') as HTMLElement;
const TILE_W = 480;
const TILE_H = 360;
/** Source window around a face, in photograph pixels (4:3). */
const WINDOW_W = 150;
const WINDOW_H = 112.5;
/** The visitor: a window of the photograph around another face, drawn low in the left corner. */
const VISITOR_WINDOW = 60;
const VISITOR_SIDE = 150;

interface Tile {
  name: string;
  figure: HTMLElement;
  stop: () => void;
  /** Photo tiles: what the picture shows besides the photograph (the buttons change it). */
  scene?: Scene;
}

interface Scene {
  /** Another face of the photograph in the picture, or none. */
  visitor: Participant | undefined;
  /** The tile's own face is out of the picture. */
  away: boolean;
}
const tiles: Tile[] = [];
const painters = new Set<(t: number) => void>();

function loadPhoto(): Promise<HTMLImageElement> {
  const img = new Image();
  img.src = photoUrl;
  return img.decode().then(() => img);
}

function makeTile(name: string, stream: MediaStream, mirrored = false): Tile {
  const video = document.createElement('video');
  return makeTileWith(video, name, stream, mirrored);
}

function makeTileWith(video: HTMLVideoElement, name: string, stream: MediaStream, mirrored: boolean): Tile {
  const figure = document.createElement('figure');
  figure.className = 'tile';
  figure.dataset.participant = name;
  video.muted = true;
  video.autoplay = true;
  video.playsInline = true;
  video.srcObject = stream;
  if (mirrored) video.classList.add('mirrored');
  const caption = document.createElement('figcaption');
  caption.textContent = name;
  figure.append(video, caption);
  grid.append(figure);
  void video.play().catch(() => undefined);
  return {
    name,
    figure,
    stop: () => {
      for (const track of stream.getTracks()) track.stop();
      figure.remove();
    },
  };
}

function photoTile(photo: HTMLImageElement, p: Participant, index: number): Tile {
  const canvas = document.createElement('canvas');
  canvas.width = TILE_W;
  canvas.height = TILE_H;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('2D canvas is not available');
  const phase = index * 1.7;
  const video = document.createElement('video');
  const scene: Scene = { visitor: undefined, away: false };
  const paint = (t: number) => {
    const s = STILL ? 0 : t / 1000;
    const m = STILL ? 0 : 1;
    // gentle sway: a slow drift, a small nod and a slight tilt, different for each participant;
    // still: no motion, the window moved left so that the face sits right of the centre
    const dx = STILL ? -30 : 6 * Math.sin(s * 0.5 + phase);
    const dy = 3 * m * Math.sin(s * 0.8 + phase * 1.3);
    const zoom = 1 + 0.04 * m * Math.sin(s * 0.3 + phase);
    const tilt = 0.04 * m * Math.sin(s * 0.6 + phase * 0.7);
    const w = WINDOW_W / zoom;
    const h = WINDOW_H / zoom;
    // where the face centre lands in the frame: its offset from the window's centre, scaled and turned
    const ox = (-dx * TILE_W) / w;
    const oy = (-(dy + 6) * TILE_H) / h;
    video.dataset.faceX = (TILE_W / 2 + ox * Math.cos(tilt) - oy * Math.sin(tilt)).toFixed(1);
    video.dataset.faceY = (TILE_H / 2 + ox * Math.sin(tilt) + oy * Math.cos(tilt)).toFixed(1);
    ctx.save();
    ctx.fillStyle = '#202124';
    ctx.fillRect(0, 0, TILE_W, TILE_H);
    ctx.translate(TILE_W / 2, TILE_H / 2);
    ctx.rotate(tilt);
    ctx.translate(-TILE_W / 2, -TILE_H / 2);
    if (!scene.away) ctx.drawImage(photo, p.x + dx - w / 2, p.y + dy - h / 2 + 6, w, h, 0, 0, TILE_W, TILE_H);
    ctx.restore();
    const v = scene.visitor;
    if (v) {
      const half = VISITOR_WINDOW / 2;
      const side = VISITOR_SIDE;
      ctx.drawImage(
        photo,
        v.x - half,
        v.y - half,
        VISITOR_WINDOW,
        VISITOR_WINDOW,
        15,
        TILE_H - side - 45,
        side,
        side,
      );
    }
  };
  paint(performance.now());
  painters.add(paint);
  const tile = makeTileWith(video, p.name, canvas.captureStream(15), index === MIRROR);
  const stop = tile.stop;
  tile.stop = () => {
    painters.delete(paint);
    stop();
  };
  tile.scene = scene;
  return tile;
}

function loop(t: number): void {
  for (const paint of painters) paint(t);
  requestAnimationFrame(loop);
}

async function main(): Promise<void> {
  const photo = await loadPhoto();
  const join = () => {
    const next = PARTICIPANTS.find((p) => !tiles.some((t) => t.name === p.name));
    if (!next) {
      notice.textContent = 'Everyone from the photograph is already in the call.';
      return;
    }
    tiles.push(photoTile(photo, next, PARTICIPANTS.indexOf(next)));
  };
  const initial = Number(option('tiles') ?? INITIAL_PARTICIPANTS);
  for (let i = 0; i < Math.min(initial, PARTICIPANTS.length); i++) join();
  requestAnimationFrame(loop);

  document.getElementById('add-participant')?.addEventListener('click', join);
  document.getElementById('remove-participant')?.addEventListener('click', () => {
    const index = tiles.findLastIndex((t) => t.name !== 'You');
    if (index >= 0) tiles.splice(index, 1)[0]?.stop();
  });
  document.getElementById('add-camera')?.addEventListener('click', () => {
    if (tiles.some((t) => t.name === 'You')) return;
    // mediaDevices is undefined outside secure contexts (http pages other than localhost)
    if (!(navigator.mediaDevices as MediaDevices | undefined)) {
      notice.textContent = 'This browser gives this page no camera access.';
      return;
    }
    navigator.mediaDevices
      .getUserMedia({ video: { width: 640, height: 480 }, audio: false })
      .then((stream) => {
        tiles.unshift(makeTile('You', stream, true));
        grid.prepend(tiles[0]?.figure as HTMLElement);
        notice.textContent = '';
      })
      .catch((error: unknown) => {
        notice.textContent = `The camera did not start: ${error instanceof Error ? error.message : String(error)}`;
      });
  });
  const firstScene = () => tiles.find((t) => t.scene)?.scene;
  document.getElementById('visitor')?.addEventListener('click', () => {
    const scene = firstScene();
    // the first face of the photograph that is not in the call
    if (scene)
      scene.visitor = scene.visitor
        ? undefined
        : PARTICIPANTS.find((p) => !tiles.some((t) => t.name === p.name));
  });
  document.getElementById('step-away')?.addEventListener('click', () => {
    const scene = firstScene();
    if (scene) scene.away = !scene.away;
  });
  document.getElementById('fullscreen')?.addEventListener('click', () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void grid.requestFullscreen().catch(() => undefined);
  });
  document.body.dataset.ready = 'true';
}

main().catch((error: unknown) => {
  notice.textContent = `The demo could not start: ${error instanceof Error ? error.message : String(error)}`;
});
