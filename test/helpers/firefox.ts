/**
 * Firefox for browser tests: the system's /usr/bin/firefox-esr driven by
 * puppeteer-core over WebDriver BiDi (playwright-core cannot drive a stock
 * Firefox), with a fake camera and microphone granted without prompts, and
 * WebRTC allowed over loopback (the tests run in a loopback-only network
 * namespace). One browser context per person, as in test/helpers/browser.ts.
 */
import fs from 'node:fs';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
import type { ReviewPage } from './review-page.ts';
import { startVirtualDisplay } from './virtual-display.ts';

/** The system browser; puppeteer's own downloads are never used. */
const FIREFOX_PATH = '/usr/bin/firefox-esr';

const FIREFOX_PREFS: Record<string, unknown> = {
  // A synthetic camera (moving pattern) and microphone (tone), granted without prompts.
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  // The namespace has only loopback: Firefox must gather it as a host candidate,
  // and give it as an address, not an mDNS name nobody can resolve there.
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  // The machine has no sound server: without an audio device every AudioContext
  // (the pre-flight level meter) stays suspended. Firefox's mock audio backend
  // stands in for one, as a fake output device does in headless Chromium.
  'media.cubeb.force_mock_context': true,
  // Remote audio plays without a click, as it does after a real person's click to join.
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
};

/** Launches headless Firefox; the caller registers `browser.close()` right away. */
export function launchFirefox(): Promise<Browser> {
  return launch({ headless: true });
}

/** A Firefox with a window on a virtual X display of its own. */
export interface WindowedFirefox {
  browser: Browser;
  /** Closes the browser, then its display. Idempotent. */
  close(): Promise<void>;
}

/**
 * Launches Firefox with a window, for a person who shares a screen: headless
 * Firefox has no screen to offer getDisplayMedia (NotFoundError, whatever the
 * prefs), while a windowed one on Xvfb shares the display's whole screen,
 * without a picker because media.navigator.permission.disabled grants it.
 * The display lives exactly as long as the browser; the caller registers
 * `close()` right away.
 */
export async function launchWindowedFirefox(): Promise<WindowedFirefox> {
  const display = await startVirtualDisplay();

  let browser: Browser;
  try {
    // Without WAYLAND_DISPLAY, Firefox opens its window on DISPLAY even when
    // the test runs from a Wayland desktop.
    browser = await launch({
      headless: false,
      env: { ...process.env, DISPLAY: display.display, WAYLAND_DISPLAY: undefined },
    });
  } catch (err) {
    await display.close();
    throw err;
  }

  let closing: Promise<void> | undefined;
  return {
    browser,
    close: () => {
      closing ??= browser.close().finally(() => display.close());
      return closing;
    },
  };
}

/**
 * Firefox gathers no ICE candidate at all on a host without a default route
 * (it probes the default route first), so a loopback-only namespace needs one
 * that stays on loopback: `ip route add default dev lo src 127.0.0.1`.
 */
function launch(options: {
  headless: boolean;
  env?: Record<string, string | undefined>;
}): Promise<Browser> {
  if (!hasDefaultRoute()) {
    throw new Error(
      'Firefox WebRTC needs a default route: run `ip route add default dev lo src 127.0.0.1` in the test namespace',
    );
  }

  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: options.headless,
    extraPrefsFirefox: FIREFOX_PREFS,
    ...(options.env ? { env: options.env } : {}),
  });
}

/** One person's Firefox window: its own context and page, driven as a ReviewPage. */
export interface FirefoxPersonPage extends ReviewPage {
  context: BrowserContext;
  page: Page;
}

/** Opens a fresh context and page for `name`. */
export async function openFirefoxPersonPage(
  browser: Browser,
  name: string,
): Promise<FirefoxPersonPage> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  const consoleLines: string[] = [];
  page.on('console', (message) =>
    consoleLines.push(`[${message.type()}] ${message.text()}`),
  );
  page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${String(error)}`));

  return {
    name,
    browserName: 'firefox',
    consoleLines,
    context,
    page,
    goto: async (url) => {
      await page.goto(url);
    },
    reload: async () => {
      await page.reload();
    },
    evaluate: (read) => page.evaluate(read) as Promise<Awaited<ReturnType<typeof read>>>,
    click: (selector) => page.locator(selector).click(),
    waitFor: async (selector, timeoutMs) => {
      await page.waitForSelector(selector, { visible: true, timeout: timeoutMs });
    },
    screenshot: async (file) => {
      await page.screenshot({ path: file as `${string}.png` });
    },
  };
}

/** Whether the kernel's IPv4 routing table has a default route (destination 0.0.0.0). */
function hasDefaultRoute(): boolean {
  const rows = fs.readFileSync('/proc/net/route', 'utf8').split('\n').slice(1);

  return rows.some((row) => row.split('\t')[1] === '00000000');
}
