import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * Where an outgoing POST (chat webhook, HTTP action) may go: the webhooks' SSRF guard
 * (src/events/target-guard.ts) fits.
 */
export interface WebhookTargetCheck {
  checkUrl(url: string): string | undefined;
  refusal(host: string, address: string): string | undefined;
}

/**
 * Why a webhook URL is refused now: not http(s), credentials in it, or a host that is (or resolves
 * only to) a loopback, private or otherwise non-public address the operator has not allowed. A
 * name that does not resolve is let through: it is checked again at each send.
 */
export async function targetProblem(url: string, targets: WebhookTargetCheck): Promise<string | undefined> {
  const problem = targets.checkUrl(url);
  if (problem) return problem;
  const refused = await refusedHost(new URL(url).hostname, targets);
  return refused
    ? `refused: ${refused.address} is ${refused.why} (webhooks may reach only public addresses unless the operator allows the host)`
    : undefined;
}

/**
 * Whether connecting to `host` is refused now: it is (or resolves only to) an address the guard
 * refuses — the first such address and why. A name that does not resolve is let through (checked
 * again where the connection is made).
 */
export async function refusedHost(
  host: string,
  targets: WebhookTargetCheck,
): Promise<{ address: string; why: string } | undefined> {
  const bare = host.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(bare) !== 0) addresses = [bare];
  else {
    try {
      addresses = (await lookup(bare, { all: true })).map((a) => a.address);
    } catch {
      return undefined;
    }
  }
  const refused = addresses.map((a) => [a, targets.refusal(bare, a)] as const);
  const [first] = refused;
  if (first && refused.every(([, why]) => why !== undefined)) {
    const [address, why] = first;
    return { address, why: why ?? 'refused' };
  }
  return undefined;
}

/**
 * The part of `targetProblem` that needs no DNS lookup, for checks made inside a transaction: the
 * URL's form, and a host that is an address (or `localhost`) the guard refuses. A name is checked
 * when the POST is made, where the guard refuses every address it resolves to that is not public.
 */
export function literalTargetProblem(url: string, targets: WebhookTargetCheck): string | undefined {
  const problem = targets.checkUrl(url);
  if (problem) return problem;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const address =
    isIP(host) !== 0 ? host : host === 'localhost' || host.endsWith('.localhost') ? '127.0.0.1' : undefined;
  const why = address === undefined ? undefined : targets.refusal(host, address);
  return why === undefined
    ? undefined
    : `refused: ${address} is ${why} (webhooks may reach only public addresses unless the operator allows the host)`;
}
