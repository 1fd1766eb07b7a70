import type { Executor } from './executor.js';

export interface StoredSso {
  tenantId: string;
  issuerUrl: string;
  clientId: string;
  clientSecretSealed: string;
  label: string;
  createdAt: number;
  updatedAt: number;
}

/** Each tenant's OpenID Connect settings (at most one identity provider per tenant). */
export class SsoRepository {
  constructor(private readonly db: Executor) {}

  async find(tenantId: string): Promise<StoredSso | undefined> {
    const row = await this.db
      .selectFrom('tenant_sso')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return (
      row && {
        tenantId: row.tenant_id,
        issuerUrl: row.issuer_url,
        clientId: row.client_id,
        clientSecretSealed: row.client_secret_sealed,
        label: row.label,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      }
    );
  }

  async upsert(sso: StoredSso): Promise<void> {
    const values = {
      issuer_url: sso.issuerUrl,
      client_id: sso.clientId,
      client_secret_sealed: sso.clientSecretSealed,
      label: sso.label,
      updated_at: sso.updatedAt,
    };
    await this.db
      .insertInto('tenant_sso')
      .values({ tenant_id: sso.tenantId, created_at: sso.createdAt, ...values })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet(values))
      .execute();
  }

  async delete(tenantId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('tenant_sso')
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
