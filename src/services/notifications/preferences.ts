import { DateTime, IANAZone } from 'luxon';
import type { ChannelChoices, StoredPreferences } from '../../store/notification.repository.js';
import type { FieldViolation } from '../result.js';
import { targetProblem, type WebhookTargetCheck } from '../webhook-target.js';
import {
  CHAT_WEBHOOK_TYPES,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_KINDS,
  type ChatWebhookType,
  type NotificationChannel,
  type NotificationKind,
} from './kinds.js';

export type { WebhookTargetCheck };

export const DEFAULT_DIGEST_HOUR = 9;
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** A person's preferences with the defaults filled in: every kind on every channel, no digest. */
export interface NotificationPreferences {
  channels: Record<NotificationKind, Record<NotificationChannel, boolean>>;
  digestDaily: boolean;
  digestHour: number;
  timeZone: string;
  chatWebhook: { url: string; type: ChatWebhookType } | null;
}

export function effectivePreferences(stored: StoredPreferences | undefined): NotificationPreferences {
  const channels = {} as NotificationPreferences['channels'];
  for (const kind of NOTIFICATION_KINDS) {
    const row = {} as Record<NotificationChannel, boolean>;
    for (const channel of NOTIFICATION_CHANNELS) row[channel] = stored?.channels[kind]?.[channel] ?? true;
    channels[kind] = row;
  }
  const type = stored?.chatWebhookType;
  return {
    channels,
    digestDaily: stored?.digestDaily ?? false,
    digestHour: stored?.digestHour ?? DEFAULT_DIGEST_HOUR,
    timeZone: stored?.timeZone ?? DEFAULT_TIME_ZONE,
    chatWebhook:
      stored?.chatWebhookUrl && (type === 'feishu' || type === 'generic')
        ? { url: stored.chatWebhookUrl, type }
        : null,
  };
}

/** A change of preferences as the people API receives it (every part optional). */
export interface PreferencesInput {
  channels?: Record<string, unknown>;
  digest?: { daily?: unknown; hour?: unknown; time_zone?: unknown };
  chat_webhook?: { url?: unknown; type?: unknown } | null;
}

/**
 * The stored preferences after applying `input` to `current`, or the violations naming each bad
 * field (unknown kind or channel, an hour out of range, an unknown time zone, a URL that is not
 * http(s) or that the SSRF guard refuses). Nothing is half-applied: any violation refuses all.
 */
export async function applyPreferences(
  current: NotificationPreferences,
  input: PreferencesInput,
  targets: WebhookTargetCheck,
): Promise<{ ok: true; value: NotificationPreferences } | { ok: false; violations: FieldViolation[] }> {
  const violations: FieldViolation[] = [];
  const next: NotificationPreferences = {
    ...current,
    channels: Object.fromEntries(
      Object.entries(current.channels).map(([k, v]) => [k, { ...v }]),
    ) as NotificationPreferences['channels'],
  };
  for (const [kind, choices] of Object.entries(input.channels ?? {})) {
    if (!(NOTIFICATION_KINDS as readonly string[]).includes(kind)) {
      violations.push({
        field: `channels.${kind}`,
        description: `unknown kind; one of ${NOTIFICATION_KINDS.join(', ')}`,
      });
      continue;
    }
    if (typeof choices !== 'object' || choices === null) {
      violations.push({ field: `channels.${kind}`, description: 'must be an object of channel: true|false' });
      continue;
    }
    for (const [channel, on] of Object.entries(choices as Record<string, unknown>)) {
      if (!(NOTIFICATION_CHANNELS as readonly string[]).includes(channel))
        violations.push({
          field: `channels.${kind}.${channel}`,
          description: `unknown channel; one of ${NOTIFICATION_CHANNELS.join(', ')}`,
        });
      else if (typeof on !== 'boolean')
        violations.push({ field: `channels.${kind}.${channel}`, description: 'must be true or false' });
      else next.channels[kind as NotificationKind][channel as NotificationChannel] = on;
    }
  }
  const digest = input.digest;
  if (digest) {
    if (digest.daily !== undefined) {
      if (typeof digest.daily === 'boolean') next.digestDaily = digest.daily;
      else violations.push({ field: 'digest.daily', description: 'must be true or false' });
    }
    if (digest.hour !== undefined) {
      if (
        typeof digest.hour === 'number' &&
        Number.isInteger(digest.hour) &&
        digest.hour >= 0 &&
        digest.hour <= 23
      )
        next.digestHour = digest.hour;
      else violations.push({ field: 'digest.hour', description: 'must be a whole hour from 0 to 23' });
    }
    if (digest.time_zone !== undefined) {
      if (
        typeof digest.time_zone === 'string' &&
        digest.time_zone.length <= 64 &&
        IANAZone.isValidZone(digest.time_zone)
      )
        next.timeZone = digest.time_zone;
      else
        violations.push({
          field: 'digest.time_zone',
          description: 'must be an IANA time zone like Asia/Shanghai',
        });
    }
  }
  if (input.chat_webhook === null) next.chatWebhook = null;
  else if (input.chat_webhook) {
    const { url, type } = input.chat_webhook;
    const kind = type ?? next.chatWebhook?.type ?? 'feishu';
    if (typeof kind !== 'string' || !(CHAT_WEBHOOK_TYPES as readonly string[]).includes(kind))
      violations.push({
        field: 'chat_webhook.type',
        description: `must be one of ${CHAT_WEBHOOK_TYPES.join(', ')}`,
      });
    if (typeof url !== 'string' || url.length === 0 || url.length > 2048)
      violations.push({
        field: 'chat_webhook.url',
        description: 'must be an http(s) URL of at most 2048 characters',
      });
    else {
      const problem = await targetProblem(url, targets);
      if (problem) violations.push({ field: 'chat_webhook.url', description: problem });
      else if (violations.length === 0) next.chatWebhook = { url, type: kind as ChatWebhookType };
    }
  }
  return violations.length > 0 ? { ok: false, violations } : { ok: true, value: next };
}

/** What is stored: only the choices that differ from the defaults. */
export function toStored(
  tenantId: string,
  employeeId: string,
  p: NotificationPreferences,
  now: number,
): StoredPreferences {
  const channels: ChannelChoices = {};
  for (const kind of NOTIFICATION_KINDS)
    for (const channel of NOTIFICATION_CHANNELS)
      if (!p.channels[kind][channel]) (channels[kind] ??= {})[channel] = false;
  return {
    employeeId,
    tenantId,
    channels,
    digestDaily: p.digestDaily,
    digestHour: p.digestHour,
    timeZone: p.timeZone,
    chatWebhookUrl: p.chatWebhook?.url ?? null,
    chatWebhookType: p.chatWebhook?.type ?? null,
    updatedAt: now,
  };
}

/** The next digest time after `now` (the person's hour in their zone) and its local date, the job's key. */
export function nextDigest(now: number, hour: number, timeZone: string): { dueAt: number; date: string } {
  const local = DateTime.fromMillis(now, { zone: timeZone });
  let due = local.set({ hour, minute: 0, second: 0, millisecond: 0 });
  if (due.toMillis() <= now) due = due.plus({ days: 1 }).set({ hour, minute: 0, second: 0, millisecond: 0 });
  return { dueAt: due.toMillis(), date: due.toISODate() ?? '' };
}
