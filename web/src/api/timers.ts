import type { I18n } from '@contract';

/**
 * The web app's view of issue 13's endpoints (node timers, the working calendar, system jobs, urging,
 * the approval's business action), kept here until the people API contract (src/api/people/contract.ts)
 * carries them; then these become re-exports.
 */

/** The console's endpoints sit under `/api/v1/admin` (src/api/people/console), issue 13's too. */
export const CONSOLE_API = '/admin';

/** An approval node's timers in the definition document: minutes of working time (the tenant calendar). */
export interface ApprovalTimers {
  remind?: { after_minutes: number; every_minutes?: number; times?: number };
  escalate?: { after_minutes: number; action: EscalateAction };
  auto?: { after_minutes: number; action: AutoAction };
}
export type TimerKind = keyof ApprovalTimers;
export type EscalateAction = 'notify_manager' | 'add_manager';
export type AutoAction = 'approve' | 'reject' | 'transfer_to_admins';
export const ESCALATE_ACTIONS: readonly EscalateAction[] = ['notify_manager', 'add_manager'];
export const AUTO_ACTIONS: readonly AutoAction[] = ['transfer_to_admins', 'approve', 'reject'];

/** The engine's bounds (src/engine/timers.ts): a year of minutes at most, 20 reminders. */
export const TIMER_LIMITS = { minMinutes: 1, maxMinutes: 366 * 24 * 60, reminders: 20 } as const;

export interface WorkPeriod {
  /** "HH:MM"; `end` may be "24:00". */
  start: string;
  end: string;
}
export interface Holiday {
  /** "YYYY-MM-DD", both ends inclusive. */
  start: string;
  end: string;
  name?: string;
}
/** GET/PUT /api/v1/console/calendar: the tenant's working-time calendar. */
export interface WorkCalendar {
  time_zone: string;
  /** ISO weekdays: 1 = Monday … 7 = Sunday. */
  work_days: number[];
  hours: WorkPeriod[];
  holidays: Holiday[];
  /** Make-up working days (调休) on what would be days off. */
  extra_workdays: string[];
}
export interface CalendarView {
  calendar: WorkCalendar;
  /** No calendar saved yet: the default (Mon–Fri 09:00–12:00, 13:00–18:00, Asia/Shanghai) applies. */
  is_default: boolean;
  /** Unix milliseconds as a string, null while the default applies. */
  updated_at: string | null;
}

export type JobKind =
  'timer' | 'action' | 'compensate' | 'http_action' | 'notify' | 'delegation_start' | 'delegation_end';
export type JobStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';
/** A durable system job of a process: a timer, the approval's business action, its compensation. */
export interface SystemJob {
  job_id: string;
  kind: JobKind;
  key: string;
  status: JobStatus;
  /** Unix milliseconds as a string. */
  due_at: string;
  attempts: number;
  last_error: string | null;
  result: Record<string, unknown> | null;
  /** Unix milliseconds as strings (the server sends them; older answers may not). */
  created_at?: string;
  updated_at?: string;
}
export interface SystemJobWithProcess extends SystemJob {
  process_id: string;
}

/** GET /api/v1/processes/:id/action_preview: what approving will change in the directory. */
export interface ActionPreview {
  available: boolean;
  biz_type: string;
  problem?: string;
  effective_date?: string;
  employee?: { user_id: string; name: I18n };
  changes: {
    field: string;
    before: string | null;
    after: string | null;
    sensitive: boolean;
    /** What a non-employee field stands for (a leave balance: its type's name). */
    label?: I18n;
  }[];
}
