import * as oidc from 'openid-client';
import type { Employee, Tenant } from '../engine/directory.js';
import { SsoRepository, type StoredSso } from '../store/sso.repository.js';
import { inTransaction, repositories, type ServiceContext } from './context.js';
import { fail, invalidFields, notFound, ok, type FieldViolation, type Result } from './result.js';
import { loadTenant } from './tenant.service.js';

export interface SsoInput {
  issuer_url: string;
  client_id: string;
  /** Required the first time; left out, the stored secret is kept. */
  client_secret?: string | undefined;
  label?: string | undefined;
}

/** The settings as the admin API shows them: the client secret never leaves the server. */
export interface SsoView {
  tenantKey: string;
  issuerUrl: string;
  clientId: string;
  label: string;
  createdAt: number;
  updatedAt: number;
}

export const DEFAULT_SSO_LABEL = 'Single sign-on';

/** Where the browser goes back to after the identity provider (`?error=` added on failure). */
export type OidcErrorCode = 'oidc_failed' | 'unknown_person' | 'account_disabled';

export interface OidcStart {
  authorizationUrl: string;
  /** The flow's secrets (state, nonce, PKCE verifier), sealed: the cookie's value until the callback. */
  sealedState: string;
}

export type OidcFinish =
  | { ok: true; tenant: Tenant; employee: Employee; returnTo: string; signInPath: string }
  | { ok: false; code: OidcErrorCode; signInPath: string; reason: string; cause?: unknown };

interface FlowState {
  tenantId: string;
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
  redirectUri: string;
  signInPath: string;
  expiresAt: number;
}

/** How long a sign-in at the identity provider may take. */
export const OIDC_FLOW_MS = 10 * 60 * 1000;
/** Discovered provider metadata is reused this long (keys rotate; settings may change on another server). */
const CONFIG_TTL_MS = 10 * 60 * 1000;
const REQUEST_TIMEOUT_SECONDS = 10;

/** Plain http is for an identity provider on this machine (tests, a local Keycloak): never over a network. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function issuerProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be a URL like https://id.example.com/realms/acme';
  }
  if (url.search || url.hash) return 'must not have a query or fragment';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
  return 'must be an https:// URL (http:// only for an identity provider on this machine: localhost, 127.0.0.1, ::1)';
}

/**
 * Single sign-on by OpenID Connect, one identity provider per tenant (openid-client does the
 * protocol: discovery, PKCE, state, nonce, ID token checks). A person is the tenant's employee whose
 * email the provider vouches for (`email_verified: true`); nothing is created on first sign-in.
 */
export class SsoService {
  private readonly configs = new Map<
    string,
    { key: string; at: number; config: Promise<oidc.Configuration> }
  >();

  constructor(private readonly ctx: ServiceContext) {}

  // --- admin -----------------------------------------------------------------------------------

  async get(tenantKey: string): Promise<Result<SsoView>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    const stored = await new SsoRepository(this.ctx.db).find(tenant.value.id);
    return stored
      ? ok(view(tenant.value, stored))
      : notFound(`single sign-on settings of tenant ${tenantKey}`);
  }

  async set(tenantKey: string, input: SsoInput): Promise<Result<SsoView>> {
    return inTransaction(this.ctx.db, async (repos, trx) => {
      const tenant = await loadTenant(repos, tenantKey);
      if (!tenant.ok) return tenant;
      const store = new SsoRepository(trx);
      const existing = await store.find(tenant.value.id);
      const violations: FieldViolation[] = [];
      const issuer = issuerProblem(input.issuer_url);
      if (issuer) violations.push({ field: 'issuer_url', description: issuer });
      if (input.client_secret === undefined && !existing)
        violations.push({
          field: 'client_secret',
          description: 'is required when single sign-on is first set up',
        });
      if (violations.length > 0) return invalidFields(violations);
      const now = this.ctx.clock.now();
      const stored: StoredSso = {
        tenantId: tenant.value.id,
        // As given: the provider's discovery document must name exactly this issuer.
        issuerUrl: input.issuer_url,
        clientId: input.client_id,
        clientSecretSealed:
          input.client_secret !== undefined
            ? this.ctx.secrets.encrypt(input.client_secret)
            : (existing?.clientSecretSealed ?? ''),
        label: input.label ?? existing?.label ?? DEFAULT_SSO_LABEL,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      await store.upsert(stored);
      this.configs.delete(tenant.value.id);
      return ok(view(tenant.value, stored));
    });
  }

  async delete(tenantKey: string): Promise<Result<null>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    this.configs.delete(tenant.value.id);
    return (await new SsoRepository(this.ctx.db).delete(tenant.value.id))
      ? ok(null)
      : notFound(`single sign-on settings of tenant ${tenantKey}`);
  }

  // --- sign-in ---------------------------------------------------------------------------------

  /** Starts a sign-in at the tenant's identity provider: where to send the browser, and what to keep. */
  async start(
    tenant: Tenant,
    redirectUri: string,
    returnTo: string,
    signInPath: string,
  ): Promise<Result<OidcStart>> {
    const stored = await new SsoRepository(this.ctx.db).find(tenant.id);
    if (!stored) return fail('not_found', `tenant ${tenant.tenantKey} has no single sign-on`);
    const config = await this.configuration(stored);
    const state: FlowState = {
      tenantId: tenant.id,
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier: oidc.randomPKCECodeVerifier(),
      returnTo,
      redirectUri,
      signInPath,
      expiresAt: this.ctx.clock.now() + OIDC_FLOW_MS,
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      state: state.state,
      nonce: state.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(state.verifier),
      code_challenge_method: 'S256',
    });
    return ok({ authorizationUrl: url.href, sealedState: this.ctx.secrets.encrypt(JSON.stringify(state)) });
  }

  /**
   * Completes the sign-in the identity provider sent the browser back from: checks state, nonce,
   * PKCE and the ID token (openid-client), then maps the verified email to an active employee.
   */
  async finish(sealedState: string | undefined, query: string): Promise<OidcFinish> {
    const flow = this.unseal(sealedState);
    if (!flow)
      return {
        ok: false,
        code: 'oidc_failed',
        signInPath: '/sign-in',
        reason: 'no sign-in in progress here',
      };
    const failed = (code: OidcErrorCode, reason: string, cause?: unknown): OidcFinish => ({
      ok: false,
      code,
      signInPath: flow.signInPath,
      reason,
      ...(cause !== undefined ? { cause } : {}),
    });
    const repos = repositories(this.ctx.db);
    const [tenant, stored] = await Promise.all([
      repos.tenants.findById(flow.tenantId),
      new SsoRepository(this.ctx.db).find(flow.tenantId),
    ]);
    if (!tenant || !stored) return failed('oidc_failed', 'the tenant or its single sign-on is gone');
    let claims: Record<string, unknown>;
    try {
      const config = await this.configuration(stored);
      const current = new URL(flow.redirectUri);
      current.search = query;
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (!idClaims) return failed('oidc_failed', 'no ID token');
      claims = { ...idClaims };
      // Providers commonly put email only in UserInfo for the code flow (OIDC Core 5.4).
      if (typeof claims.email !== 'string' && tokens.access_token) {
        const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        claims = { ...info, ...idClaims, email: info.email, email_verified: info.email_verified };
      }
    } catch (error) {
      this.configs.delete(flow.tenantId);
      return failed(
        'oidc_failed',
        `the identity provider's answer was refused: ${(error as Error).message}`,
        error,
      );
    }
    const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : undefined;
    if (!email || claims.email_verified !== true)
      return failed('unknown_person', 'the identity provider did not vouch for an email (email_verified)');
    const employee = await repos.employees.findBy(tenant.id, 'email', email);
    if (!employee)
      return failed('unknown_person', `no employee of ${tenant.tenantKey} has the email ${email}`);
    if (employee.employmentStatus !== 'active')
      return failed('account_disabled', `${employee.userId} is not an active employee`);
    return { ok: true, tenant, employee, returnTo: flow.returnTo, signInPath: flow.signInPath };
  }

  private unseal(sealed: string | undefined): FlowState | undefined {
    if (sealed === undefined || sealed.length > 4096) return undefined;
    try {
      const state = JSON.parse(this.ctx.secrets.decrypt(sealed)) as FlowState;
      return state.expiresAt > this.ctx.clock.now() ? state : undefined;
    } catch {
      return undefined; // forged, damaged or sealed under another master key
    }
  }

  private configuration(stored: StoredSso): Promise<oidc.Configuration> {
    const key = `${stored.issuerUrl}|${stored.clientId}|${stored.updatedAt}`;
    const now = this.ctx.clock.now();
    const cached = this.configs.get(stored.tenantId);
    if (cached && cached.key === key && now - cached.at < CONFIG_TTL_MS) return cached.config;
    const issuer = new URL(stored.issuerUrl);
    const config = oidc.discovery(
      issuer,
      stored.clientId,
      this.ctx.secrets.decrypt(stored.clientSecretSealed),
      undefined,
      {
        timeout: REQUEST_TIMEOUT_SECONDS,
        // Only ever for a loopback issuer: the admin API refuses http:// elsewhere.
        ...(issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname)
          ? // eslint-disable-next-line @typescript-eslint/no-deprecated -- deprecated only to stand out; loopback only
            { execute: [oidc.allowInsecureRequests] }
          : {}),
      },
    );
    this.configs.set(stored.tenantId, { key, at: now, config });
    config.catch(() => {
      if (this.configs.get(stored.tenantId)?.config === config) this.configs.delete(stored.tenantId);
    });
    return config;
  }
}

function view(tenant: Tenant, stored: StoredSso): SsoView {
  return {
    tenantKey: tenant.tenantKey,
    issuerUrl: stored.issuerUrl,
    clientId: stored.clientId,
    label: stored.label,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  };
}
