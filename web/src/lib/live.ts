/**
 * What a live message asks to refresh. The contract (`LiveChange`) sends `{ process_ids, inbox }`;
 * the shared plan also describes `{ process_id, kinds }`: both are understood, anything else means
 * "refresh everything shown" (safe, just more requests).
 */
export interface LiveRefresh {
  processIds: string[];
  inbox: boolean;
}

export function parseLiveMessage(data: string): LiveRefresh | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const message = value as { process_ids?: unknown; process_id?: unknown; inbox?: unknown };
  const processIds: string[] = [];
  if (Array.isArray(message.process_ids))
    for (const id of message.process_ids) if (typeof id === 'string') processIds.push(id);
  if (typeof message.process_id === 'string') processIds.push(message.process_id);
  // Any change to a process may move it between tabs or change its row, so lists refresh too.
  return { processIds, inbox: message.inbox !== false || processIds.length > 0 };
}

/** Reconnect delays after the stream closes for good: 1 s, 2 s, 4 s … at most 30 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, Math.min(attempt, 5)));
}
