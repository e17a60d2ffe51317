import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { resolve } from 'node:path';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import source from './manifest.json' with { type: 'json' };
import { manifestFor, type BrowserTarget } from './src/shared/manifest-target.ts';
import { PACKAGED_ASSETS, TFJS_WASM_DIR } from './src/shared/packaged-assets.ts';
import { tfjsWasmThreads } from './scripts/tfjs-wasm-threads-plugin.ts';

/**
 * crxjs lists injected content scripts in web_accessible_resources (crxjs/chrome-extension-tools#1130),
 * which would let every page detect the extension. MoodLens injects them with scripting.executeScript,
 * which needs no such entry: drop it from the built manifest.
 */
function dropContentScriptWar(outDir: string): Plugin {
  return {
    name: 'moodlens:drop-content-script-war',
    apply: 'build',
    enforce: 'post',
    closeBundle() {
      const path = resolve(outDir, 'manifest.json');
      const manifest = JSON.parse(readFileSync(path, 'utf8')) as {
        web_accessible_resources?: { resources: string[] }[];
      };
      const war = (manifest.web_accessible_resources ?? [])
        .map((entry) => ({
          ...entry,
          resources: entry.resources.filter((r) => !r.startsWith('src/content/')),
        }))
        .filter((entry) => entry.resources.length > 0);
      if (war.length > 0) manifest.web_accessible_resources = war;
      else delete manifest.web_accessible_resources;
      writeFileSync(path, JSON.stringify(manifest, null, 2));
    },
  };
}

/** Copies the models and wasm files the engine loads (src/shared/packaged-assets.ts) into the package. */
function packageAssets(outDir: string): Plugin {
  return {
    name: 'moodlens:package-assets',
    apply: 'build',
    closeBundle() {
      for (const asset of PACKAGED_ASSETS) {
        const dir = resolve(outDir, asset.to);
        mkdirSync(dir, { recursive: true });
        copyFileSync(resolve(import.meta.dirname, asset.from), resolve(dir, basename(asset.from)));
      }
    },
  };
}

/**
 * `vite build --mode <target>[-dev]`, target = chrome | firefox.
 * Store builds go to dist/<target>; the dev flavour (npm start, browser tests) to dist/dev/<target>.
 */
export default defineConfig(({ mode }) => {
  const match = /^(chrome|firefox)(-dev)?$/.exec(mode);
  if (!match) throw new Error(`unknown build mode "${mode}": use chrome, firefox, chrome-dev or firefox-dev`);
  const target = match[1] as BrowserTarget;
  const dev = Boolean(match[2]);
  const manifest = manifestFor(source, { target, dev }) as unknown as ManifestV3Export;
  const outDir = dev ? `dist/dev/${target}` : `dist/${target}`;
  // Chrome only: the offscreen document and the relay frame content scripts put in pages (web-accessible)
  const input: Record<string, string> = {};
  if (target === 'chrome') {
    input.offscreen = resolve(import.meta.dirname, 'src/offscreen/index.html');
    input.relay = resolve(import.meta.dirname, 'src/relay/index.html');
  } else {
    // Firefox's sidebar_action page (crxjs builds Chrome's side_panel page from the manifest)
    input.sidepanel = resolve(import.meta.dirname, 'src/sidepanel/index.html');
  }
  return {
    plugins: [
      preact(),
      crx({ manifest, browser: target }),
      dropContentScriptWar(outDir),
      packageAssets(outDir),
      tfjsWasmThreads(outDir, TFJS_WASM_DIR),
    ],
    publicDir: false,
    define: {
      __MOODLENS_TARGET__: JSON.stringify(target),
      __MOODLENS_DEV__: JSON.stringify(dev),
    },
    build: {
      outDir,
      emptyOutDir: true,
      target: target === 'chrome' ? 'chrome116' : 'firefox142',
      sourcemap: dev,
      minify: !dev,
      rolldownOptions: { input },
    },
    server: { cors: { origin: [/chrome-extension:\/\//] } },
  };
});
