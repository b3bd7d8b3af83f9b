// The one Chromium that the end-to-end test, the soak and the screenshots drive: Debian's
// (CHROMIUM overrides its path), headless, WebGL2 in software (SwiftShader), in a fresh
// profile folder, with pages opened side by side keeping their frame rate.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--disable-renderer-backgrounding', '--disable-background-timer-throttling', '--disable-backgrounding-occluded-windows'];

// CAP bounds every wait of the scripts, in ms: two minutes. A wait is for behaviour (the
// simulator ready, queries grown, a message shown), and the cap only turns a hang into a
// failure that says what was awaited. It is no measure of speed: two cores shared with
// other jobs (a laptop with a browser open) make the page many times slower than on an
// idle machine, and that must not fail a test. Timings are printed as figures instead.
export const CAP = 120000;

// launch starts the browser for the named script with a viewport (default 1024 x 640) and
// extra flags; phone: a touch screen and a phone's browser (the page's meta viewport
// honoured). It returns the context and the profile folder, which the caller removes
// after closing the context. Every Playwright call in the context (navigation, clicks,
// screenshots, waits for a selector) has CAP as its timeout, not Playwright's 30 s.
export async function launch(name, { viewport = { width: 1024, height: 640 }, args = [], phone = false } = {}) {
  const udd = fs.mkdtempSync(path.join(os.tmpdir(), `meshlight-${name}-`));
  const ctx = await chromium.launchPersistentContext(udd, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true, args: [...ARGS, ...args], viewport, timeout: CAP, hasTouch: phone, isMobile: phone,
  });
  ctx.setDefaultTimeout(CAP);
  ctx.setDefaultNavigationTimeout(CAP);
  return { ctx, udd };
}
