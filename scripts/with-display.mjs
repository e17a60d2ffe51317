// Runs a command with a display: as it is where one exists, else under `xvfb-run -a` (Linux CI).
// Firefox's WebGL and a headful Chromium need a display; headless Chromium does not.
import { spawnSync } from 'node:child_process';

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: node scripts/with-display.mjs COMMAND [ARGS...]');
  process.exit(2);
}
let run = [cmd, ...args];
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  const probe = spawnSync('xvfb-run', ['--help'], { stdio: 'ignore' });
  if (probe.error) {
    console.error('No display and no xvfb-run: install it (Debian/Ubuntu: `sudo apt-get install xvfb`).');
    process.exit(2);
  }
  run = ['xvfb-run', '-a', '-s', '-screen 0 1600x1000x24', 'npx', ...run];
} else {
  run = ['npx', ...run];
}
const result = spawnSync(run[0], run.slice(1), { stdio: 'inherit' });
process.exit(result.status ?? 1);
