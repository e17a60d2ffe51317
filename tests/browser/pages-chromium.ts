/**
 * The test pages (`npm run build:pages`, served by scripts/serve.ts) in headless Chromium without the
 * extension: the server and the browser the engine and classifier tests share, closed by `close`.
 */
import { chromium, type Browser } from 'playwright-core';
import { findChrome } from '../../scripts/find-chrome.ts';
import { startServer, type RunningServer } from '../../scripts/serve.ts';

export interface PagesChromium {
  server: RunningServer;
  browser: Browser;
  close: () => Promise<void>;
}

/** `webgpu`: Chromium's WebGPU (SwiftShader here) switched on. */
export async function pagesChromium(options: { webgpu?: boolean } = {}): Promise<PagesChromium> {
  const server = await startServer(0);
  try {
    const browser = await chromium.launch({
      executablePath: process.env.CHROME_PATH ?? findChrome(),
      headless: true,
      args: [
        '--no-sandbox',
        ...(options.webgpu ? ['--enable-unsafe-webgpu'] : []),
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    return {
      server,
      browser,
      close: async () => {
        await browser.close();
        await server.close();
      },
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}
