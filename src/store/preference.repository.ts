import type { Executor } from './executor.js';

/** A person's own settings (language), kept apart from the directory an admin manages. */
export class PreferenceRepository {
  constructor(private readonly db: Executor) {}

  async language(employeeId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('employee_preferences')
      .select('language')
      .where('employee_id', '=', employeeId)
      .executeTakeFirst();
    return row?.language ?? null;
  }

  async setLanguage(
    tenantId: string,
    employeeId: string,
    language: string | null,
    at: number,
  ): Promise<void> {
    await this.db
      .insertInto('employee_preferences')
      .values({ employee_id: employeeId, tenant_id: tenantId, language, updated_at: at })
      .onConflict((oc) => oc.column('employee_id').doUpdateSet({ language, updated_at: at }))
      .execute();
  }
}
