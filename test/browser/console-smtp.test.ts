import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { screenshot } from '../helpers/browser.js';
import { TestSmtp } from '../notifications/helpers.js';
import {
  assertAccessible,
  assertNoHorizontalScroll,
  browserSuite,
  confirm,
  dialog,
  eventually,
  gone,
  see,
  type PageGlobals,
} from './harness.js';

/**
 * The tenant's email server in the console: the head of People (郑红) sets it with the keyboard alone,
 * sees the server's refusal on the field it names, sends a test email that arrives at a real SMTP server
 * (and one the server refuses, with its answer), and removes the settings. Screenshots in both languages.
 */

interface SmtpAnswer {
  smtp: { host: string; port: number; username: string | null; password: string | null } | null;
}

async function savedSmtp(page: Page): Promise<SmtpAnswer['smtp']> {
  const response = await page.request.get('/api/v1/admin/smtp');
  return ((await response.json()) as SmtpAnswer).smtp;
}

/** The accessible name of the focused element's label (what a screen reader announces on Tab). */
async function focusedId(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = (globalThis as unknown as PageGlobals).document.activeElement as unknown as {
      id?: string;
    } | null;
    return active?.id ?? '';
  });
}

/** Presses Tab until the element with this id has focus (at most `limit` presses): keyboard only. */
async function tabTo(page: Page, id: string, limit = 6): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if ((await focusedId(page)) === id) return;
  }
  assert.fail(`Tab never reached #${id} (focus is on #${await focusedId(page)})`);
}

browserSuite(
  'console SMTP settings',
  (it) => {
    it('sets the SMTP server with the keyboard, sends a test email that arrives, and removes it', async (env) => {
      const smtp = await TestSmtp.start();
      try {
        const page = await env.open('hr_head');
        const origin = new URL(page.url()).origin;
        await page.goto(`${origin}/console/flows`);
        await page.getByRole('link', { name: 'Email (SMTP)' }).click();
        await see(page.getByRole('heading', { name: 'Email server (SMTP)' }), 'the SMTP page');
        await see(page.getByText('Not set', { exact: true }), 'the not-set state');
        assert.equal(await page.getByRole('button', { name: 'Send test email' }).isDisabled(), true);

        // Keyboard only: into the host field, then Tab from field to field; Enter saves.
        await page.getByLabel('Host').focus();
        await page.keyboard.type('bad host!');
        await tabTo(page, 'port');
        await page.keyboard.press('ControlOrMeta+a');
        await page.keyboard.type(String(smtp.port));
        await tabTo(page, 'secure');
        assert.equal(await page.getByRole('switch', { name: 'TLS from the start' }).isChecked(), false);
        await tabTo(page, 'username');
        await page.keyboard.type('mailer');
        await tabTo(page, 'password');
        await page.keyboard.type('s3cret-pass');
        await tabTo(page, 'from_address');
        await page.keyboard.type('PeopleFlow <hr@example.com>');
        await page.keyboard.press('Enter');

        // The server refuses the host: its words under the host field, the field marked invalid.
        const host = page.getByLabel('Host');
        await see(page.getByText('must be a host name or an IP address'), "the server's problem on the host");
        await eventually(
          async () => (await host.getAttribute('aria-invalid')) === 'true',
          'the host invalid',
        );
        assert.equal(await savedSmtp(page), null, 'nothing saved');

        await host.focus();
        await page.keyboard.press('ControlOrMeta+a');
        await page.keyboard.type('127.0.0.1');
        await page.keyboard.press('Enter');
        await see(page.getByText('Email settings saved'), 'the saved message');
        await see(page.getByText('Set', { exact: true }), 'the set state');
        const saved = await savedSmtp(page);
        assert.deepEqual(
          { host: saved?.host, port: saved?.port, username: saved?.username, password: saved?.password },
          { host: '127.0.0.1', port: smtp.port, username: 'mailer', password: '********' },
        );
        // The password is write-only: the page says one is saved and offers to keep it.
        const passwordChoice = page.getByRole('radiogroup', { name: 'Password: one is saved' });
        await see(passwordChoice, 'the saved-password choice');
        assert.equal(await passwordChoice.getByRole('radio', { name: 'Keep it' }).isChecked(), true);
        assert.equal(await page.getByLabel('New password').count(), 0, 'no password field while kept');

        // The test email, to my own address by default, arrives at the SMTP server.
        const recipient = page.getByLabel('Recipient');
        assert.equal(await recipient.inputValue(), 'hr_head@demo.peopleflow.local');
        await recipient.focus();
        await page.keyboard.press('Enter');
        await see(
          page.getByText(/accepted the test email to hr_head@demo\.peopleflow\.local/),
          'the sent result',
        );
        await eventually(
          async () => Promise.resolve(smtp.mails.length === 1),
          'the test email at the server',
        );
        assert.deepEqual(smtp.mails[0]?.to, ['hr_head@demo.peopleflow.local']);
        assert.ok(smtp.logins.includes('mailer:s3cret-pass'), 'signed in with the saved password');

        // Replacing the password, by keyboard: the arrow keys move along the choice, the new one is asked.
        await passwordChoice.getByRole('radio', { name: 'Keep it' }).focus();
        await page.keyboard.press('ArrowRight');
        // The choice is a controlled radio: checked once the form has re-rendered with it.
        await eventually(
          () => passwordChoice.getByRole('radio', { name: 'Replace it' }).isChecked(),
          'Replace it chosen with the arrow key',
        );
        // The new password's field appears with the choice: Tab only once it is there.
        await see(page.getByLabel('New password'), 'the new password field');
        await tabTo(page, 'password');
        await page.keyboard.type('n3w-pass');
        await page.keyboard.press('Enter');
        await eventually(
          async () =>
            (await savedSmtp(page))?.password === '********' &&
            (await page.getByLabel('New password').count()) === 0,
          'the new password saved (and the choice back to keep)',
        );
        await page.getByRole('button', { name: 'Send test email' }).click();
        await eventually(async () => Promise.resolve(smtp.mails.length === 2), 'a second test email');
        assert.ok(smtp.logins.includes('mailer:n3w-pass'), 'signed in with the new password');

        // Refused by the server: its answer on the page.
        smtp.refuseWith = 550;
        await page.getByRole('button', { name: 'Send test email' }).click();
        await see(page.getByText('The test email was not sent. The SMTP server answered:'), 'the refusal');
        await see(page.getByText(/550 not now, try later/), "the server's answer");
        assert.equal(smtp.mails.length, 2, 'nothing more arrived');
        // The whole page in view from the top (a full-page shot of a scrolled page repeats the sticky header).
        await gone(page.getByText('Email settings saved'), 'the saved message');
        await page.setViewportSize({ width: 1280, height: 1200 });
        await page.evaluate(() => {
          (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0);
        });
        await screenshot(page, 'console-smtp', 'en');
        await assertAccessible(page, 'the SMTP page with a refused test email');
        smtp.refuseWith = undefined;

        // The same page on a phone, in Chinese: no sideways scrolling.
        const phone = await env.open('hr_head', { locale: 'zh-CN', width: 375, height: 812 });
        await phone.goto(`${origin}/console/smtp`);
        await see(phone.getByRole('heading', { name: '邮件服务器（SMTP）' }), 'the SMTP page in Chinese');
        await see(phone.getByText('已设置', { exact: true }), 'the set state in Chinese');
        await assertNoHorizontalScroll(phone, 'the SMTP page');
        await screenshot(phone, 'console-smtp', 'zh-CN');
        await phone.context().close();

        // Remove, after confirming.
        await page.getByRole('button', { name: 'Remove settings' }).click();
        await see(dialog(page).getByText('Remove the email settings?'), 'the confirmation');
        await confirm(page);
        await see(page.getByText('Email settings removed'), 'the removed message');
        await see(page.getByText('Not set', { exact: true }), 'the not-set state again');
        assert.equal(await savedSmtp(page), null, 'the settings are gone');
      } finally {
        await smtp.close();
      }
    });
  },
  // The operator allows the loopback mail server the test runs (tenant admins may not name internal hosts).
  { flags: ['--webhook-allow-hosts', '127.0.0.1'] },
);
