import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

/**
 * Real Chromium for the browser suite: Debian's package (`/usr/bin/chromium`, or PEOPLEFLOW_CHROMIUM).
 * Where none is installed the browser tests are skipped with this reason, so the summary line says
 * "skipped" instead of a silent pass.
 */
export const CHROMIUM_PATH = process.env.PEOPLEFLOW_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumMissing: string | false = existsSync(CHROMIUM_PATH)
  ? false
  : `no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set PEOPLEFLOW_CHROMIUM): browser tests SKIPPED`;
if (chromiumMissing) process.stderr.write(`\n*** ${chromiumMissing} ***\n\n`);

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // Without the background-networking flags Chromium floods this machine's closed network.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export type Locale = 'en' | 'zh-CN';

export interface PersonPage {
  context: BrowserContext;
  page: Page;
}

/** One browser context per person (own cookies), in the given language, at desktop or phone size. */
export async function openAs(
  browser: Browser,
  baseUrl: string,
  options: { locale?: Locale; width?: number; height?: number } = {},
): Promise<PersonPage> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    locale: options.locale ?? 'en',
    viewport: { width: options.width ?? 1280, height: options.height ?? 860 },
  });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  return { context, page };
}

/** Signs in through the demo sign-in page, as a new user would: one click on the person. */
export async function signInWithDemoPage(page: Page, name: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: new RegExp(name) }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/sign-in'));
}

const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');

/** Saves `docs/screenshots/<name>.<locale>.png` (the README shows some of them). */
export async function screenshot(page: Page, name: string, locale: Locale): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // A full-page shot draws sticky and fixed parts (the app bar, the side menu, a task's action bar) where
  // the window was, in the middle of the picture: the page is shot from its top, in a window as tall as
  // the page (as on a tall screen), then the window is put back.
  const window = page.viewportSize();
  const height = await page.evaluate(() => {
    const g = globalThis as unknown as {
      scrollTo(x: number, y: number): void;
      document: { documentElement: { scrollHeight: number } };
    };
    g.scrollTo(0, 0);
    return g.document.documentElement.scrollHeight;
  });
  const tall = window !== null && height > window.height;
  if (tall) await page.setViewportSize({ width: window.width, height });
  await settleAnimations(page);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.${locale}.png`), fullPage: true });
  if (tall) await page.setViewportSize(window);
}

/** axe-core's serious and critical violations on the page as it is now (empty when clean). */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  // A popover or message mid fade-in has half its final contrast: axe would report colours no one sees.
  await settleAnimations(page);
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * Waits (up to `timeout`) until no finite CSS animation or transition is running: Ant Design fades
 * popovers, drawers and messages in and out, and a check taken mid-motion sees half-transparent text.
 * Endless animations (spinners) are ignored; a page that never settles is checked as it is.
 */
export async function settleAnimations(page: Page, timeout = 3_000): Promise<void> {
  await page
    .waitForFunction(
      () => {
        const doc = (globalThis as unknown as { document: { getAnimations(): AnimationLike[] } }).document;
        return doc
          .getAnimations()
          .every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity);
      },
      undefined,
      { timeout, polling: 50 },
    )
    .catch(() => undefined);
}

interface AnimationLike {
  playState: string;
  effect: { getTiming(): { iterations?: number } } | null;
}
