import type { Executor } from './executor.js';
import type { AccessTokenTable } from './schema.js';

export type TokenKind = 'tenant' | 'app';

export interface StoredToken {
  tokenHash: string;
  tokenSealed: string;
  kind: TokenKind;
  appId: string;
  tenantId: string;
  issuedAt: number;
  expiresAt: number;
}

export class TokenRepository {
  constructor(private readonly db: Executor) {}

  async insert(token: StoredToken): Promise<void> {
    await this.db
      .insertInto('access_tokens')
      .values({
        token_hash: token.tokenHash,
        token_sealed: token.tokenSealed,
        kind: token.kind,
        app_id: token.appId,
        tenant_id: token.tenantId,
        issued_at: token.issuedAt,
        expires_at: token.expiresAt,
      })
      .execute();
  }

  /** The newest token of this kind for the app that is still valid at `now`. */
  async newestValid(appId: string, kind: TokenKind, now: number): Promise<StoredToken | undefined> {
    const row = await this.db
      .selectFrom('access_tokens')
      .selectAll()
      .where('app_id', '=', appId)
      .where('kind', '=', kind)
      .where('expires_at', '>', now)
      .orderBy('expires_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && this.toToken(row);
  }

  async findByHash(tokenHash: string): Promise<StoredToken | undefined> {
    const row = await this.db
      .selectFrom('access_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && this.toToken(row);
  }

  async deleteExpired(appId: string, now: number): Promise<void> {
    await this.db
      .deleteFrom('access_tokens')
      .where('app_id', '=', appId)
      .where('expires_at', '<=', now)
      .execute();
  }

  private toToken(row: AccessTokenTable): StoredToken {
    return {
      tokenHash: row.token_hash,
      tokenSealed: row.token_sealed,
      kind: row.kind as TokenKind,
      appId: row.app_id,
      tenantId: row.tenant_id,
      issuedAt: row.issued_at,
      expiresAt: row.expires_at,
    };
  }
}
