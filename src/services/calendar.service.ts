import { DEFAULT_CALENDAR, validateCalendar, WorkingTime, type WorkCalendar } from '../engine/calendar.js';
import { repositories, type Repositories, type ServiceContext } from './context.js';
import { invalidFields, ok, type Result } from './result.js';
import { loadTenant } from './tenant.service.js';
import { CacheTrust, TRUSTED_BACKSTOP_MS } from './cache-trust.js';

/** The calendar on the wire (admin and console APIs): snake_case, as everywhere in our JSON. */
export interface CalendarJson {
  time_zone: string;
  work_days: number[];
  hours: { start: string; end: string }[];
  holidays: { start: string; end: string; name?: string }[];
  extra_workdays: string[];
}

export interface CalendarView {
  calendar: WorkCalendar;
  /** True until the tenant sets its own: the built-in Monday–Friday Beijing working day. */
  isDefault: boolean;
  updatedAt: number | null;
}

export const calendarFromJson = (json: CalendarJson): WorkCalendar => ({
  timeZone: json.time_zone,
  workDays: json.work_days,
  hours: json.hours.map((h) => ({ start: h.start, end: h.end })),
  holidays: json.holidays.map((h) => ({
    start: h.start,
    end: h.end,
    ...(h.name !== undefined ? { name: h.name } : {}),
  })),
  extraWorkdays: json.extra_workdays,
});

export const calendarJson = (calendar: WorkCalendar): CalendarJson => ({
  time_zone: calendar.timeZone,
  work_days: calendar.workDays,
  hours: calendar.hours,
  holidays: calendar.holidays,
  extra_workdays: calendar.extraWorkdays,
});

/**
 * How long another server's calendar change may go unseen here (each server caches) while the cache
 * bus is not trusted; while it is, a change on any server forgets the entry (store/cache-changes.ts).
 */
const CACHE_MS = 5_000;

/**
 * Each tenant's working-time calendar (docs/timers.md): node timers count working minutes in it, and
 * effective dates are days in its time zone. A change applies to timers set afterwards.
 */
export class CalendarService {
  private readonly cache = new Map<string, { until: number; workingTime: WorkingTime }>();
  /** Moves on every forget: a calendar read before it may be stale. */
  private generation = 0;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly trust: CacheTrust = new CacheTrust(),
  ) {}

  /** The tenant's calendar changed (or the tenant went), here or on another server. */
  forget(tenantId: string): void {
    this.generation += 1;
    this.cache.delete(tenantId);
  }

  clear(): void {
    this.generation += 1;
    this.cache.clear();
  }

  /** Repositories on the plain connection, for callers outside a transaction. */
  repos(): Repositories {
    return repositories(this.ctx.db);
  }

  async get(tenantKey: string): Promise<Result<CalendarView>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    return ok(await this.viewOf(repos, tenant.value.id));
  }

  async put(tenantKey: string, json: CalendarJson): Promise<Result<CalendarView>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    return this.putFor(repos, tenant.value.id, json);
  }

  /** For the console, which knows the tenant id already. */
  async putFor(repos: Repositories, tenantId: string, json: CalendarJson): Promise<Result<CalendarView>> {
    const calendar = calendarFromJson(json);
    const problems = validateCalendar(calendar);
    if (problems.length > 0)
      return invalidFields(problems.map((p) => ({ field: p.field, description: p.message })));
    const now = this.ctx.clock.now();
    await repos.calendars.put(tenantId, JSON.stringify(calendar), now);
    this.forget(tenantId);
    return ok({ calendar, isDefault: false, updatedAt: now });
  }

  async viewOf(repos: Repositories, tenantId: string): Promise<CalendarView> {
    const stored = await repos.calendars.get(tenantId);
    return stored
      ? {
          calendar: JSON.parse(stored.calendar) as WorkCalendar,
          isDefault: false,
          updatedAt: stored.updatedAt,
        }
      : { calendar: DEFAULT_CALENDAR, isDefault: true, updatedAt: null };
  }

  /** The tenant's working time, cached for a few seconds (it is read by every command with timers). */
  async workingTime(repos: Repositories, tenantId: string): Promise<WorkingTime> {
    const now = Date.now();
    const cached = this.cache.get(tenantId);
    if (cached && now < cached.until) return cached.workingTime;
    const mark = { generation: this.generation, epoch: this.trust.epoch };
    const workingTime = new WorkingTime((await this.viewOf(repos, tenantId)).calendar);
    const trusted =
      this.trust.trusted &&
      mark.generation === this.generation &&
      mark.epoch === this.trust.epoch &&
      !repos.tenants.inTransaction;
    this.cache.set(tenantId, { until: now + (trusted ? TRUSTED_BACKSTOP_MS : CACHE_MS), workingTime });
    return workingTime;
  }
}
