import nodemailer from 'nodemailer';
import type { SecretBox } from '../../platform/secrets.js';
import type { StoredSmtp } from '../../store/notification.repository.js';
import type { Mail } from './templates.js';

/** How a send ended: sent, worth retrying (down, refused for now), or refused for good (5xx). */
export type SendOutcome = { ok: true } | { ok: false; permanent: boolean; error: string };

/** Sends one email through the tenant's SMTP server (no pooling: sends are few and spread out). */
export async function sendMail(
  smtp: StoredSmtp,
  secrets: SecretBox,
  to: string,
  mail: Mail,
  timeoutMs = 15_000,
): Promise<SendOutcome> {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.username
      ? {
          auth: {
            user: smtp.username,
            pass: smtp.passwordSealed ? secrets.decrypt(smtp.passwordSealed) : '',
          },
        }
      : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    await transport.sendMail({
      from: smtp.fromAddress,
      to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
    });
    return { ok: true };
  } catch (error) {
    const e = error as Error & { responseCode?: number; code?: string; response?: string };
    // 5xx is the server's final word (no such mailbox, sender refused); anything else may pass later.
    const permanent = e.responseCode !== undefined && e.responseCode >= 500 && e.responseCode < 600;
    const detail = e.response ?? e.message;
    return {
      ok: false,
      permanent,
      error: `SMTP ${smtp.host}:${smtp.port}: ${e.code ? `${e.code} ` : ''}${detail}`,
    };
  } finally {
    transport.close();
  }
}
