import { createServer, type Server } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { PeopleClient, PeopleResponse } from './people.js';

export interface IdentityAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
}

/**
 * A real OpenID Connect provider (oidc-provider) on a random loopback port, for single sign-on tests.
 * Its login and consent screens are skipped: whoever `nextAccount` names signs in and consents, so a
 * test drives the whole authorization code flow with plain HTTP requests.
 */
export class IdentityProvider {
  readonly clientId = 'peopleflow';
  readonly clientSecret = randomBytes(24).toString('hex');
  /** The account the next sign-in at the provider is for (its `sub`). */
  nextAccount = '';
  readonly accounts = new Map<string, IdentityAccount>();
  private provider!: Provider;

  private constructor(
    private readonly server: Server,
    readonly issuer: string,
  ) {}

  /** Starts the provider; `redirectUris` are the clients' callback URLs it accepts. */
  static async start(redirectUris: string[]): Promise<IdentityProvider> {
    let handler: Parameters<typeof createServer>[1] = (_req, res) => res.end();
    const server = createServer((req, res) => handler?.(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const idp = new IdentityProvider(server, `http://127.0.0.1:${port}`);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    idp.provider = new Provider(idp.issuer, {
      clients: [
        {
          client_id: idp.clientId,
          client_secret: idp.clientSecret,
          redirect_uris: redirectUris,
          response_types: ['code'],
          grant_types: ['authorization_code'],
        },
      ],
      findAccount: (_ctx: unknown, sub: string) => {
        const account = idp.accounts.get(sub);
        return account && { accountId: sub, claims: () => ({ sub, ...account }) };
      },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' }] },
      cookies: { keys: [randomBytes(16).toString('hex')] },
      features: { devInteractions: { enabled: false } },
      ttl: {
        AccessToken: 600,
        AuthorizationCode: 60,
        Grant: 600,
        IdToken: 600,
        Interaction: 600,
        Session: 600,
      },
      interactions: {
        url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
      },
    });
    const callback = idp.provider.callback();
    handler = (req, res) => {
      if (req.url?.startsWith('/interaction/')) {
        idp.interact(req, res).catch((error: unknown) => {
          res.statusCode = 500;
          res.end(String(error));
        });
        return;
      }
      callback(req, res);
    };
    return idp;
  }

  private async interact(
    req: Parameters<Provider['interactionDetails']>[0],
    res: Parameters<Provider['interactionDetails']>[1],
  ): Promise<void> {
    const details = await this.provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      await this.provider.interactionFinished(
        req,
        res,
        { login: { accountId: this.nextAccount } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    const accountId = details.session?.accountId ?? this.nextAccount;
    const grant = details.grantId
      ? ((await this.provider.Grant.find(details.grantId)) ??
        new this.provider.Grant({ accountId, clientId: this.clientId }))
      : new this.provider.Grant({ accountId, clientId: this.clientId });
    const { missingOIDCScope, missingOIDCClaims } = details.prompt.details;
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    const grantId = await grant.save();
    await this.provider.interactionFinished(req, res, { consent: { grantId } });
  }

  /**
   * A browser's round trip: the app's start URL → the provider (signing `nextAccount` in) → the app's
   * callback. Returns the provider's redirect to the app (the callback URL) and the app's answer to it.
   */
  async signIn(
    client: PeopleClient,
    startPath: string,
  ): Promise<{ start: PeopleResponse; callbackUrl?: URL; answer?: PeopleResponse }> {
    const start = await client.get(startPath);
    if (start.status !== 302) return { start };
    let location = new URL(start.headers.get('location') ?? '', client.baseUrl);
    const jar = new Map<string, string>();
    for (let hop = 0; hop < 20 && location.origin === this.issuer; hop++) {
      const response = await fetch(location, {
        redirect: 'manual',
        headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const eq = pair.indexOf('=');
        if (eq < 0) continue;
        const value = pair.slice(eq + 1).trim();
        if (value === '' || /expires=thu, 01 jan 1970/i.test(line)) jar.delete(pair.slice(0, eq).trim());
        else jar.set(pair.slice(0, eq).trim(), value);
      }
      const next = response.headers.get('location');
      if (next === null)
        throw new Error(`the identity provider answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
      location = new URL(next, location);
    }
    const answer = await client.get(`${location.pathname}${location.search}`);
    return { start, callbackUrl: location, answer };
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }
}
