import type { Page } from 'playwright-core';

/**
 * Helpers for the filter bars' browser tests (approval center, process monitoring, delivery log).
 */

/** Holds the answers to requests matching `pattern` for `ms` from now on: a refetch that takes its time. */
export async function slowDown(page: Page, pattern: string, ms: number): Promise<void> {
  await page.route(pattern, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    await route.continue().catch(() => undefined);
  });
}

/** Types a day into one end of a date range picker as a person would, and confirms it with Enter. */
export async function typeDay(page: Page, label: string, day: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(day);
  await input.press('Enter');
}
