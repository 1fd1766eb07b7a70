import { describe, after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Clock } from '../../src/platform/clock.js';
import {
  chromiumMissing,
  launchChromium,
  openAs,
  seriousA11yViolations,
  signInWithDemoPage,
  type Locale,
  type PersonPage,
} from '../helpers/browser.js';
import { PeopleClient } from '../helpers/people.js';
import { DemoDriver, sdkClient } from '../helpers/sdk.js';
import { startTestServer, type CallResult, type TestServer } from '../helpers/server.js';
import { demoDatabase } from './demo-data.js';
import { ensureWebBuild } from './web-build.js';

/**
 * The browser suite's harness: per test FILE one real server (SQLite in a temp dir holding a copy of
 * the run's demo data, see demo-data.ts; `--demo`; the built web app), one Chromium, and per PERSON
 * one browser context (own cookies). Tests are
 * registered with `{ skip }` when there is no Chromium, so the runner's summary counts them as
 * skipped: never a silent pass.
 */

/**
 * The demo people the scenarios use, by user_id: those the demo sign-in page offers
 * (DEMO_SIGN_IN_PEOPLE in src/services/demo.service.ts).
 */
export const PEOPLE = {
  employee: { en: 'Zhang San', zh: '张三' },
  manager: { en: 'Wang Fang', zh: '王芳' },
  dept_leader: { en: 'Li Wei', zh: '李伟' },
  hrbp: { en: 'He Jia', zh: '何佳' },
  process_admin: { en: 'Xu Jing', zh: '许静' },
  hr_head: { en: 'Zheng Hong', zh: '郑红' },
  cto: { en: 'Liu Yang', zh: '刘洋' },
  backend_dev: { en: 'Zhao Min', zh: '赵敏' },
  it_admin: { en: 'Ma Qiang', zh: '马强' },
  outsider: { en: 'Qian Duo', zh: '钱多' },
} as const;
export type DemoPerson = keyof typeof PEOPLE;

export const nameOf = (person: DemoPerson, locale: Locale = 'en'): string =>
  locale === 'en' ? PEOPLE[person].en : PEOPLE[person].zh;

/** "Now" that follows the real clock plus an offset the session-expiry test moves forward. */
export class OffsetClock implements Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
}

export interface OpenOptions {
  locale?: Locale;
  width?: number;
  height?: number;
}

/** An admin-API process as the process admin sees it (people as user_ids). */
export interface AdminProcess {
  process_id: string;
  status: string;
  form_values: Record<string, unknown>;
  tasks: {
    approver_id: string;
    node_id: string | null;
    user_id: string;
    status: string;
    opinion: string | null;
  }[];
  cc_list: { user_id: string; node_id: string | null }[];
  comments: { user_id: string; text: string; mention_user_ids: string[] }[];
}

export interface BrowserEnv {
  t: TestServer;
  url: string;
  browser: Browser;
  clock: OffsetClock;
  /** Demo flow definition ids by key (leave, info_change, job_change, offboarding, expense). */
  flows: Record<string, string>;
  /** A new browser context signed in as the person through the demo sign-in page. */
  open(person: DemoPerson, options?: OpenOptions): Promise<Page>;
  /** A new browser context nobody is signed in to. */
  openAnonymous(options?: OpenOptions): Promise<Page>;
  /** The person on the people API (for setting up what a test is not about). */
  people(person: DemoPerson): Promise<PeopleClient>;
  /** Starts a process through the admin API for `initiator` (setup, not the thing under test). */
  start(flowId: string, initiator: DemoPerson, formValues: Record<string, unknown>): Promise<string>;
  /** Approves the person's open task through the Open API (as the demo app: setup, or "an app acted"). */
  approve(processId: string, person: DemoPerson): Promise<void>;
  /** A process as the admin API shows it. */
  process(processId: string): Promise<AdminProcess>;
  /** Imports and publishes a flow definition document in the demo tenant; returns its id. */
  publishFlow(document: unknown): Promise<string>;
  admin(method: string, path: string, body?: unknown): Promise<CallResult>;
}

/** A 5-day annual leave: manager, then (more than 3 days) the department leader, CC the HRBP. */
export const FIVE_DAY_LEAVE = {
  leave_type: 'annual',
  start_date: '2026-12-14',
  end_date: '2026-12-18',
  days: '5',
  reason: 'Family trip',
};

const FAILURES = join(tmpdir(), 'peopleflow-browser-failures');

interface Opened {
  person: PersonPage;
  label: string;
  errors: string[];
}

export interface SuiteOptions {
  /** Extra server flags (after `--demo`). */
  flags?: string[];
}

/**
 * `browserSuite('name', (it) => { it('does x', async (env) => { … }) })`: one server and one Chromium
 * for the file's tests; contexts a test opens are closed after it (with screenshots of every open
 * page saved to $TMPDIR/peopleflow-browser-failures when it fails).
 */
export function browserSuite(
  name: string,
  body: (
    it: (title: string, fn: (env: BrowserEnv) => Promise<void>, known?: { todo: string }) => void,
  ) => void,
  options: SuiteOptions = {},
): void {
  describe(`browser: ${name}`, () => {
    let env: BrowserEnv | undefined;
    let opened: Opened[] = [];
    let closeAll: (() => Promise<void>) | undefined;

    before(async () => {
      if (chromiumMissing) return;
      // Chromium and the demo data do not depend on the web build: they start first and get ready
      // meanwhile (a build, when one is needed, blocks this process while vite runs).
      const setup = await Promise.allSettled([launchChromium(), demoDatabase(), ensureWebBuild()]);
      const [launched, copied] = setup;
      const failed = setup.find((r) => r.status === 'rejected');
      if (failed || launched.status !== 'fulfilled' || copied.status !== 'fulfilled') {
        if (launched.status === 'fulfilled') await launched.value.close().catch(() => undefined);
        if (copied.status === 'fulfilled') await copied.value?.drop().catch(() => undefined);
        throw (failed as PromiseRejectedResult).reason;
      }
      const browser = launched.value;
      const database = copied.value;
      const clock = new OffsetClock();
      let t: TestServer;
      try {
        t = await startTestServer('sqlite', {
          clock,
          flags: ['--demo', ...(options.flags ?? [])],
          ...(database ? { database } : {}),
        });
      } catch (error) {
        await browser.close();
        await database?.drop();
        throw error;
      }
      closeAll = async () => {
        await browser.close();
        await t.close();
        // A database passed in stays the caller's to drop (the server drops only one it made).
        await database?.drop();
      };
      const demo = t.server.demo;
      assert.ok(demo, 'the server runs with --demo');
      const track = async (label: string, options: OpenOptions): Promise<Page> => {
        const person = await openAs(browser, t.url, options);
        const entry: Opened = { person, label, errors: [] };
        person.page.on('pageerror', (error) => entry.errors.push(`pageerror: ${error.message}`));
        person.page.on('console', (message) => {
          // Failed requests are reported below, with their URL.
          if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
            entry.errors.push(`console: ${message.text()}`);
        });
        person.page.on('response', (response) => {
          if (response.status() >= 400)
            entry.errors.push(
              `HTTP ${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`,
            );
        });
        opened.push(entry);
        return person.page;
      };
      const ok = (result: CallResult, what: string): CallResult => {
        if (result.status >= 300) throw new Error(`${what}: ${result.status} ${JSON.stringify(result.body)}`);
        return result;
      };
      const driver = new DemoDriver(sdkClient(t.url, demo.app), demo);
      env = {
        t,
        url: t.url,
        browser,
        clock,
        flows: demo.flow_definitions,
        admin: (method, path, requestBody) => t.admin(method, path, requestBody),
        async open(person, openOptions = {}) {
          const page = await track(person, openOptions);
          await signInWithDemoPage(page, nameOf(person, openOptions.locale));
          return page;
        },
        openAnonymous: (openOptions = {}) => track('anonymous', openOptions),
        async people(person) {
          const client = new PeopleClient(t.url);
          await client.signInDemo(person);
          return client;
        },
        async start(flowId, initiator, formValues) {
          const started = ok(
            await t.admin('POST', '/tenants/demo/processes', {
              flow_definition_id: flowId,
              initiator_user_id: initiator,
              form_values: formValues,
            }),
            'start a process',
          );
          return started.body.data.process_id as string;
        },
        async approve(processId, person) {
          await driver.approve(processId, person);
        },
        async process(processId) {
          return ok(await t.admin('GET', `/tenants/demo/processes/${processId}`), 'get a process').body
            .data as AdminProcess;
        },
        async publishFlow(document) {
          const imported = ok(
            await t.admin('POST', '/tenants/demo/flow_definitions/import', document),
            'import a flow',
          );
          const id = imported.body.data.flow_definition_id as string;
          if (!(imported.body.data.latest_version > 0))
            ok(await t.admin('POST', `/tenants/demo/flow_definitions/${id}/publish`), 'publish a flow');
          return id;
        },
      };
    });

    after(async () => {
      await closeAll?.();
    });

    // `known.todo`: a test that still fails now and then for a reason under investigation; it runs,
    // and the summary counts it under "todo" instead of hiding it.
    body((title, fn, known) => {
      test(title, { skip: chromiumMissing, timeout: 180_000, todo: known?.todo }, async (context) => {
        assert.ok(env, 'the suite set up its server and browser');
        opened = [];
        try {
          await fn(env);
        } catch (error) {
          mkdirSync(FAILURES, { recursive: true });
          const slug = `${name}-${title}`.replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
          for (const [i, entry] of opened.entries()) {
            const file = join(FAILURES, `${slug}-${i}-${entry.label}.png`);
            await entry.person.page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
            context.diagnostic(`page of ${entry.label} at ${entry.person.page.url()}: ${file}`);
            for (const line of [...new Set(entry.errors)].slice(0, 12))
              context.diagnostic(`${entry.label} ${line}`);
          }
          throw error;
        } finally {
          for (const entry of opened) await entry.person.context.close().catch(() => undefined);
          opened = [];
        }
      });
    });
  });
}

/** Waits until the locator shows, failing with what was expected (not just a selector). */
export async function see(locator: Locator, what: string, timeout = 10_000): Promise<void> {
  try {
    // Visible ones only: a hidden match (a native select's <option>, a closed menu) says nothing.
    await locator.filter({ visible: true }).first().waitFor({ state: 'visible', timeout });
  } catch {
    assert.fail(`expected to see ${what} within ${timeout} ms (${String(locator)})`);
  }
}

/** Waits until nothing the locator matches is visible. */
export async function gone(locator: Locator, what: string, timeout = 10_000): Promise<void> {
  try {
    await locator.first().waitFor({ state: 'hidden', timeout });
  } catch {
    assert.fail(`expected ${what} to disappear within ${timeout} ms (${String(locator)})`);
  }
}

/** Polls `probe` until it returns true (server-side state a UI action should have changed). */
export async function eventually(
  probe: () => Promise<boolean>,
  what: string,
  timeout = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) assert.fail(`expected ${what} within ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** axe-core: no serious or critical violation on the screen as it is now. */
export async function assertAccessible(page: Page, screen: string): Promise<void> {
  assert.deepEqual(await seriousA11yViolations(page), [], `axe on ${screen}`);
}

/**
 * The DOM as far as functions run in the page use it: the project's tsconfig has no DOM library
 * (server code must not see `window`), so page functions reach it through these types.
 */
export interface PageElement {
  innerText: string;
  contains(other: unknown): boolean;
  closest(selector: string): PageElement | null;
}
export interface PageGlobals {
  document: {
    activeElement: PageElement | null;
    scrollingElement: { scrollWidth: number } | null;
    querySelector(selector: string): PageElement | null;
  };
  __noReload?: boolean;
}

/** No horizontal scrolling at phone width. */
export async function assertNoHorizontalScroll(page: Page, screen: string, width = 375): Promise<void> {
  const scrollWidth = await page.evaluate(
    () => (globalThis as unknown as PageGlobals).document.scrollingElement?.scrollWidth ?? 0,
  );
  assert.ok(
    scrollWidth <= width,
    `${screen}: the page scrolls sideways at ${width} px (${scrollWidth} px wide)`,
  );
}

/** The open dialog (Ant Design modals are role=dialog). */
export const dialog = (page: Page): Locator => page.getByRole('dialog');

/**
 * Waits until the open dialog has finished opening. Ant Design zooms a dialog in (rc-motion): for two
 * frames it is laid out in place but transparent (`…-enter-prepare`), then shrunk to nothing
 * (`…-enter-start`) and zoomed in (`…-enter-active`); the classes go when the animation ends.
 * Playwright counts the transparent, still dialog as visible and stable, so a click then can press
 * the mouse on "Confirm" and release it on the backdrop once the dialog has shrunk: the browser sends
 * that click to the backdrop, the button never gets it, and the dialog just stays open.
 */
export async function dialogOpened(page: Page): Promise<void> {
  await dialog(page)
    .and(page.locator(':not([class*="-enter"]):not([class*="-appear"])'))
    .waitFor({ state: 'visible' });
}

/** Clicks the dialog's "Confirm" button (every confirming dialog's OK button, per WEB-PLAN) once the dialog is open. */
export async function confirm(page: Page): Promise<void> {
  await dialogOpened(page);
  await dialog(page).getByRole('button', { name: 'Confirm', exact: true }).click();
}

/** The process id in a detail URL (`/approval-center/processes/:id`). */
export function processIdOf(page: Page): string {
  const match = /\/approval-center\/processes\/([^/?#]+)/.exec(page.url());
  assert.ok(match?.[1], `not on a process detail page: ${page.url()}`);
  return match[1];
}

export const detailUrl = (processId: string): string => `/approval-center/processes/${processId}`;

interface PressGlobals {
  __presses?: string[];
  addEventListener(type: string, listener: (event: unknown) => void, capture: boolean): void;
}

/**
 * From now on the page notes every mouse press and click: on which element, and the open dialog's
 * classes then (its motion, while it opens) — for a failure message to tell a click that went
 * elsewhere from a Confirm that did nothing.
 */
export async function recordPresses(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as unknown as PressGlobals & PageGlobals;
    const first = g.__presses === undefined;
    g.__presses = [];
    if (!first) return;
    for (const type of ['mousedown', 'click'])
      g.addEventListener(
        type,
        (event) => {
          const target = (
            event as { target: { tagName?: string; className?: unknown; textContent?: string } }
          ).target;
          // No helper function in here: tsx wraps a named one in `__name`, which the page lacks.
          const open = g.document.querySelector('[role="dialog"]') as { className?: unknown } | null;
          const [own = '', dialogs = ''] = [target.className, open?.className].map((c) =>
            typeof c === 'string' && c.trim() !== '' ? `.${c.trim().split(/\s+/).join('.')}` : '',
          );
          const text = (target.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 24);
          g.__presses?.push(
            `${type} on ${String(target.tagName).toLowerCase()}${own} "${text}" (dialog ${open ? dialogs : 'none'})`,
          );
        },
        true,
      );
  });
}

/** What `recordPresses` noted (nothing when the page is gone). */
export async function pressesRecorded(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as PressGlobals).__presses ?? []).catch(() => []);
}

/**
 * Takes a task action from the detail page: the button, then its dialog (opinion typed when given)
 * and "Confirm". Every task action opens a dialog; waiting for it with the default timeout (not a
 * short probe) keeps a slow machine from skipping the Confirm.
 */
export async function taskAction(page: Page, action: 'Approve' | 'Reject', opinion?: string): Promise<void> {
  await page.getByRole('button', { name: action, exact: true }).click();
  const box = dialog(page);
  await box.waitFor({ state: 'visible' });
  if (opinion !== undefined) await box.getByRole('textbox').first().fill(opinion);
  // What the page sends and what goes wrong in it from the Confirm on, for the failure message below.
  const seen: string[] = [];
  const onRequest = (request: { method(): string; url(): string }) => {
    if (request.method() !== 'GET') seen.push(`${request.method()} ${new URL(request.url()).pathname}`);
  };
  const onResponse = (response: { status(): number; request(): { method(): string; url(): string } }) => {
    const request = response.request();
    if (request.method() !== 'GET') seen.push(`→ ${response.status()} ${new URL(request.url()).pathname}`);
  };
  const onError = (error: Error) => seen.push(`page error: ${error.message.split('\n')[0] ?? ''}`);
  page.on('request', onRequest);
  page.on('response', onResponse);
  page.on('pageerror', onError);
  await recordPresses(page);
  await confirm(page);
  // The page closes the dialog only once the server has answered the action (an error keeps it open,
  // with the reason): that, not the click, is when the action has happened. The answer waits for the
  // command's commit, which under CI load shares this process with the job runner and the live
  // refetches of every open page, hence more than the default 10 s.
  try {
    await box.waitFor({ state: 'hidden', timeout: 30_000 });
  } catch (error) {
    // Say what was seen, not only that it timed out: whether the action was still on its way (the
    // Confirm button loading), and the wait's own error (a second dialog, a closed page …).
    const shown = (await box.innerText().catch(() => '')).replace(/\s+/g, ' ').trim();
    const button = box.getByRole('button', { name: 'Confirm', exact: true });
    const sending = await button
      .evaluate((b: unknown) => (b as { className: string }).className.includes('ant-btn-loading'))
      .catch(() => 'unknown');
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    // A press and its click on different elements: the click went to what holds both, not to Confirm.
    const presses = (await pressesRecorded(page)).join(', ') || 'none';
    assert.fail(
      `${action}: the dialog did not close within 30 s after Confirm (it shows: ${shown}; Confirm loading: ${String(sending)}; pressed and clicked: ${presses}; sent since Confirm: ${seen.join(', ') || 'nothing'}; ${reason})`,
    );
  } finally {
    page.off('request', onRequest);
    page.off('response', onResponse);
    page.off('pageerror', onError);
  }
}

/**
 * Takes an option from the open drop-down of a select, tree select or mentions box. Ant Design keeps
 * an accessible listbox of role=option elements for screen readers, but it is visually hidden (and
 * holds only the options around the active one); the visible items are what a pointer can click.
 */
export function dropdownOption(page: Page, name: string | RegExp): Locator {
  const popup = page.locator(
    '.ant-select-dropdown:not(.ant-select-dropdown-hidden), .ant-mentions-dropdown:not(.ant-mentions-dropdown-hidden)',
  );
  return (
    popup
      .locator('.ant-select-item-option, .ant-select-tree-treenode, .ant-mentions-dropdown-menu-item')
      .filter({ hasText: name })
      // A list just closed (Escape) can still be in the page while it fades out, with the same option.
      .filter({ visible: true })
      .first()
  );
}

export async function chooseOption(page: Page, name: string | RegExp): Promise<void> {
  const item = dropdownOption(page, name);
  await item.waitFor({ state: 'visible' });
  // A list that keeps moving (the panel above it re-laid out while a rule is checked) never holds still
  // for a pointer click: the option then gets the click event itself, as a pointer's would reach it.
  await item.click({ timeout: 3_000 }).catch(() => item.dispatchEvent('click'));
}

/** Picks a person in a user picker (a searchable select): types part of the name, takes the option. */
export async function pickPerson(page: Page, picker: Locator, name: string): Promise<void> {
  await chooseInSelect(page, picker, name, name.split(' ')[0] ?? name);
}

/**
 * Opens a select (or tree select), optionally types into its search, takes the option, and checks the
 * choice shows in the select. Options arrive or re-render while the list opens; a click on a list
 * being replaced can miss, so a choice that did not stick is taken again once.
 */
export async function chooseInSelect(
  page: Page,
  combobox: Locator,
  name: string,
  typed?: string,
): Promise<void> {
  const select = combobox.locator(
    `xpath=ancestor::div[contains(concat(' ', @class, ' '), ' ant-select ')][1]`,
  );
  const chosen = select.filter({ hasText: name }).first();
  for (let attempt = 0; attempt < 2; attempt++) {
    // A list left open by a missed click stays open: a second click would close it.
    if ((await combobox.getAttribute('aria-expanded')) !== 'true') await combobox.click();
    if (typed !== undefined) {
      await combobox.fill('');
      await combobox.pressSequentially(typed);
    }
    await chooseOption(page, name);
    await chosen.waitFor({ state: 'visible', timeout: 2_000 }).catch(() => undefined);
    if (await chosen.isVisible()) return;
  }
  assert.fail(`${name} was not chosen in the select`);
}
