import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { UrlVerification, UrlVerifier } from '../services/ports.js';
import type { TargetGuard } from './target-guard.js';
import { signedBody } from './webhook-crypto.js';

export interface PostResult {
  status: number;
  body: string;
}

/** Posts a body and reads the answer, within `timeoutMs` for the whole exchange; refuses blocked targets. */
export function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  guard: TargetGuard,
  timeoutMs: number,
): Promise<PostResult> {
  const problem = guard.checkUrl(url);
  if (problem) return Promise.reject(new Error(`request URL ${problem}`));
  const target = new URL(url);
  // An IP literal is connected to without a DNS lookup, so the guard checks it here.
  const literal = target.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) !== 0 && !guard.addressAllowed(literal, literal)) {
    return Promise.reject(
      new Error(
        `${literal} is an address webhooks may not reach (loopback, private, link-local); allow it with --webhook-allow-hosts`,
      ),
    );
  }
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'PeopleFlow-Webhook/1',
        },
        lookup: guard.lookupFor(target.hostname),
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          // A receiver's answer is small; a huge one is cut rather than buffered.
          if (size <= 64 * 1024) chunks.push(chunk);
        });
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The url_verification handshake (CONTRACT §7a), run when an app's request URL is set. */
export class WebhookUrlVerifier implements UrlVerifier {
  constructor(
    private readonly guard: TargetGuard,
    private readonly timeoutMs = 3000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async verify(
    url: string,
    verificationToken: string,
    encryptKey: string | null,
  ): Promise<string | undefined> {
    return (await this.check(url, verificationToken, encryptKey)).problem;
  }

  async check(url: string, verificationToken: string, encryptKey: string | null): Promise<UrlVerification> {
    const started = Date.now();
    const outcome = (problem?: string, answer?: PostResult): UrlVerification => ({
      passed: problem === undefined,
      ...(problem !== undefined ? { problem } : {}),
      // The start of the answer is enough to see what the receiver did; a page of HTML is not.
      ...(answer ? { answer: { status: answer.status, body: answer.body.slice(0, 500) } } : {}),
      durationMs: Date.now() - started,
    });
    const problem = this.guard.checkUrl(url);
    if (problem) return outcome(problem);
    const challenge = randomBytes(16).toString('hex');
    const { body, headers } = signedBody(
      { challenge, token: verificationToken, type: 'url_verification' },
      encryptKey,
      this.now(),
    );
    let answer: PostResult;
    try {
      answer = await postJson(url, body, headers, this.guard, this.timeoutMs);
    } catch (error) {
      const e = error as Error & { code?: string };
      if (e.name === 'TimeoutError' || e.name === 'AbortError')
        return outcome(`did not answer the url_verification challenge within ${this.timeoutMs / 1000} s`);
      return outcome(`could not be reached: ${e.message}`);
    }
    if (answer.status !== 200)
      return outcome(`answered the url_verification challenge with HTTP ${answer.status}, not 200`, answer);
    try {
      const parsed = JSON.parse(answer.body) as { challenge?: unknown };
      if (parsed.challenge === challenge) return outcome(undefined, answer);
    } catch {
      // fall through
    }
    return outcome('did not echo the url_verification challenge as {"challenge": "…"}', answer);
  }
}
