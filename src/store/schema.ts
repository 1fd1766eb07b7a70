import type { Generated } from 'kysely';

/** Row types of the tables, as Kysely sees them. Times are Unix ms; booleans are 0/1 (SQLite has none). */

export interface TenantTable {
  id: string;
  tenant_key: string;
  name: string;
  directory_version: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface DepartmentTable {
  /** Also the department's people_corehr_department_id. */
  id: string;
  tenant_id: string;
  department_id: string;
  open_department_id: string;
  name_zh_cn: string;
  name_en_us: string;
  parent_id: string | null;
  leader_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface EmployeeTable {
  /** Also the person's people_corehr_id. */
  id: string;
  tenant_id: string;
  user_id: string;
  union_id: string;
  name_zh_cn: string;
  name_en_us: string;
  email: string;
  department_id: string | null;
  manager_id: string | null;
  employment_status: string;
  created_at: number;
  updated_at: number;
  // Profile (0018): read and written apart from the directory fields above (EmployeeRepository.*Profile).
  job_title: string | null;
  phone: string | null;
  personal_email: string | null;
  address: string | null;
  emergency_contact_name: string | null;
  emergency_contact_phone: string | null;
  /** SecretBox-sealed. */
  bank_account: string | null;
  /** SecretBox-sealed. */
  id_number: string | null;
  /** 'on_probation' | 'regular' | null (not tracked). */
  probation_status: string | null;
  /** YYYY-MM-DD. */
  probation_end_date: string | null;
  /** YYYY-MM-DD: the last working day, set when employment ends. */
  last_day: string | null;
}

export interface RoleTable {
  id: string;
  tenant_id: string;
  role_key: string;
  name_zh_cn: string;
  name_en_us: string;
  created_at: number;
  updated_at: number;
}

export interface RoleMemberTable {
  role_id: string;
  employee_id: string;
  /** JSON array of internal department ids; empty means the whole tenant. */
  department_ids: string;
}

export interface AppTable {
  id: string;
  tenant_id: string;
  app_id: string;
  name: string;
  secret_hash: string;
  /** JSON array of scope names. */
  scopes: string;
  event_request_url: string | null;
  event_verification_token_sealed: string | null;
  event_encrypt_key_sealed: string | null;
  /** JSON array of event types. */
  event_types: string;
  event_delivery_mode: string;
  /** Raised whenever access granted earlier is withdrawn (migration 0005). */
  access_revision: number;
  created_at: number;
  updated_at: number;
}

export interface AppOpenIdTable {
  app_id: string;
  employee_id: string;
  open_id: string;
}

export interface AccessTokenTable {
  token_hash: string;
  token_sealed: string;
  kind: string;
  app_id: string;
  tenant_id: string;
  issued_at: number;
  expires_at: number;
}

export interface SettingTable {
  key: string;
  value: string;
}

export interface FlowDefinitionTable {
  id: string;
  tenant_id: string;
  enabled: number;
  latest_version: number;
  /** The editable document (JSON) not yet published, or null. */
  draft: string | null;
  created_at: number;
  updated_at: number;
  /** Raised by every draft save and publish; a save naming an older one is refused (migration 0011). */
  draft_revision: Generated<number>;
  /** The employee id who saved the draft last (null: the admin API or never). */
  draft_updated_by: string | null;
  draft_updated_at: number | null;
}

export interface FlowDefinitionVersionTable {
  definition_id: string;
  version: number;
  /** The engine's FlowDefinition (JSON), frozen at publish. */
  body: string;
  published_at: number;
  /** The employee id who published it (null: the admin API, or before migration 0011). */
  published_by: string | null;
}

export interface ProcessTable {
  id: string;
  tenant_id: string;
  definition_id: string;
  definition_version: number;
  biz_type: string;
  status: string;
  initiator_id: string;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
  /** Optimistic concurrency: bumped by every command. */
  version: number;
  /** The engine's ProcessState (JSON). */
  state: string;
  /** When its oldest open task was assigned; null while nobody is asked (migration 0016). */
  waiting_since: number | null;
}

/** One row per approval task, kept in step with the state, for "a person's tasks" queries. */
export interface ProcessTaskTable {
  id: string;
  tenant_id: string;
  process_id: string;
  assignee_id: string;
  status: string;
  type: string;
  updated_at: number;
  /** The node (definition id) the task belongs to (migration 0016; null on rows it did not know). */
  node_id: string | null;
  /** For whom an out-of-office delegate holds the task (migration 0022; null on rows written before). */
  on_behalf_of: string | null;
  /** The process's flow, initiator and start time, which never change (migration 0025): to-do filters read them here. */
  definition_id: string | null;
  initiator_id: string | null;
  process_created_at: number | null;
}

/** One row per person copied on a process (first copy), kept in step with the state: the "CC me" tab. */
export interface ProcessCcTable {
  tenant_id: string;
  process_id: string;
  recipient_id: string;
  created_at: number;
}

/** Events committed with the state change that caused them; ids order them. */
export interface OutboxTable {
  id: string;
  tenant_id: string;
  process_id: string;
  kind: string;
  payload: string;
  created_at: number;
  /** 1 once the dispatcher has made this event's per-app deliveries. */
  fanned_out: Generated<number>;
}

/** A delivery's status as reads show it; the store keeps 'sending' as 'pending' with a lease. */
export type DeliveryStatus = 'pending' | 'sending' | 'delivered' | 'failed';

/** One event for one app: retried until delivered, or parked as failed. */
export interface EventDeliveryTable {
  id: string;
  /** The envelope's event_id: stable across retries. */
  event_id: string;
  tenant_id: string;
  app_id: string;
  process_id: string;
  outbox_id: string;
  event_type: string;
  /** The envelope's `event` body (JSON). */
  event: string;
  mode: string;
  /** 'pending', 'delivered' or 'failed' (DeliveryRepository shows a leased 'pending' as 'sending'). */
  status: string;
  attempts: number;
  next_attempt_at: number;
  /**
   * While out on a send (stored `pending`, shown `sending`): until when this node owns the attempt;
   * 0 otherwise.
   */
  lease_until: number;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

/** A signed-in person's session; the cookie carries the token, the table its keyed hash. */
export interface PeopleSessionTable {
  token_hash: string;
  tenant_id: string;
  employee_id: string;
  auth_method: string;
  created_at: number;
  last_seen_at: number;
  /** Absolute expiry, fixed at sign-in. */
  expires_at: number;
}

/** A person who administers the whole tenant in the console (migration 0010). */
export interface TenantAdminTable {
  tenant_id: string;
  employee_id: string;
  granted_at: number;
}

export interface EmployeePreferenceTable {
  employee_id: string;
  tenant_id: string;
  /** 'zh-CN' | 'en', or null: follow the browser. */
  language: string | null;
  updated_at: number;
}

/** A person's local password: the scrypt hash with its parameters (`$scrypt$ln=…,r=…,p=…$salt$hash`). */
export interface PeopleCredentialTable {
  employee_id: string;
  tenant_id: string;
  password_hash: string;
  updated_at: number;
}

/** A one-time link to set a password; the URL carries the token, the table its keyed hash. */
export interface PeopleInviteTable {
  token_hash: string;
  tenant_id: string;
  employee_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** A tenant's OpenID Connect single sign-on; the client secret is sealed under the master key. */
export interface TenantSsoTable {
  tenant_id: string;
  issuer_url: string;
  client_id: string;
  client_secret_sealed: string;
  label: string;
  created_at: number;
  updated_at: number;
}

/** An uploaded file with its bytes (migration 0009). */
export interface FileTable {
  id: string;
  tenant_id: string;
  /** people_corehr id of the uploader. */
  uploader_id: string;
  name: string;
  size: number;
  content_type: string;
  sha256: string;
  bytes: Uint8Array;
  created_at: number;
}

/** A process that references a file (a form value or a comment attachment). */
export interface FileLinkTable {
  file_id: string;
  process_id: string;
  tenant_id: string;
}

export type JobStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

/** A durable job (docs/adr/0007-durable-jobs.md): a timer, a business action, a notification send. */
export interface JobTable {
  id: string;
  tenant_id: string;
  /** What runs it: `timer`, `action`, `notify` … (the runner's handler registry). */
  kind: string;
  /** Unique per tenant and kind: the idempotency key. */
  key: string;
  process_id: string | null;
  due_at: number;
  status: JobStatus;
  attempts: number;
  /** While 'running': until when `lease_owner` owns it. */
  lease_until: number;
  lease_owner: string | null;
  last_error: string | null;
  /** JSON: what the handler needs. */
  payload: string;
  /** JSON: what it did (a business action's applied change, for compensation). */
  result: string | null;
  created_at: number;
  updated_at: number;
}

/** A tenant's working-time calendar (JSON of src/engine/calendar.ts WorkCalendar). */
export interface TenantCalendarTable {
  tenant_id: string;
  calendar: string;
  updated_at: number;
}

export type LeaveOverBalance = 'refuse' | 'warn';
export type LeaveEntryKind = 'grant' | 'accrual' | 'debit' | 'credit' | 'adjustment';

/** A tenant's kind of leave (migration 0019, docs/leave.md); the key is what leave forms' enum carries. */
export interface LeaveTypeTable {
  tenant_id: string;
  type_key: string;
  name_zh_cn: string;
  name_en_us: string;
  over_balance: LeaveOverBalance;
  active: number;
  created_at: number;
  updated_at: number;
}

/** One line of an employee's leave ledger; the balance is the sum of the lines. */
export interface LeaveEntryTable {
  id: string;
  tenant_id: string;
  employee_id: string;
  type_key: string;
  kind: LeaveEntryKind;
  /** Hundredths of a day, signed: debits are negative. */
  amount_centidays: number;
  reason: string;
  process_id: string | null;
  /** Unique per tenant: a process's debit (`<process_id>:debit`) is written once. */
  idempotency_key: string;
  /** The employee id of the admin who wrote it; null for the system (a process's debit). */
  created_by: string | null;
  created_at: number;
}

/** An out-of-office delegation (migration 0020): tasks for the delegator go to the delegate in the range. */
export interface DelegationTable {
  id: string;
  tenant_id: string;
  /** Employee ids (people_corehr ids). */
  delegator_id: string;
  delegate_id: string;
  /** Unix ms, inclusive. */
  starts_at: number;
  /** Unix ms, exclusive. */
  ends_at: number;
  created_at: number;
  cancelled_at: number | null;
  /** 1: the delegator's open tasks are handed over when the range starts (migration 0022). */
  include_existing: number;
  /** 1: the tasks still held for the delegator go back when it ends or is cancelled (migration 0022). */
  return_on_end: number;
}

/** One notification for one person (migration 0021); also what the daily digest email collects. */
export interface NotificationTable {
  id: string;
  tenant_id: string;
  recipient_id: string;
  kind: string;
  process_id: string;
  task_id: string | null;
  actor_id: string | null;
  created_at: number;
  read_at: number | null;
  /** 1: shown in the person's list (their in-app preference for the kind). */
  in_app: number;
  /** 1: waits for the person's daily digest email (sent when `digested_at` is set). */
  digest: number;
  digested_at: number | null;
}

/** A person's notification preferences (migration 0021). */
export interface NotificationPreferenceTable {
  employee_id: string;
  tenant_id: string;
  /** JSON `{ kind: { in_app?, email?, chat? } }`: only what differs from the defaults (all on). */
  channels: string;
  digest_daily: number;
  /** 0–23 in `time_zone`. */
  digest_hour: number;
  time_zone: string;
  chat_webhook_url: string | null;
  /** 'feishu' | 'generic'. */
  chat_webhook_type: string | null;
  updated_at: number;
}

/** A tenant's SMTP server for notification emails; the password sealed under the master key. */
export interface TenantSmtpTable {
  tenant_id: string;
  host: string;
  port: number;
  secure: number;
  username: string | null;
  password_sealed: string | null;
  from_address: string;
  created_at: number;
  updated_at: number;
}

/** rate-limiter-flexible's PostgreSQL store (migration 0023); written only by the library. */
export interface RateLimitTable {
  key: string;
  points: number;
  expire: number | null;
}

export interface Database {
  tenants: TenantTable;
  departments: DepartmentTable;
  employees: EmployeeTable;
  roles: RoleTable;
  role_members: RoleMemberTable;
  apps: AppTable;
  app_open_ids: AppOpenIdTable;
  access_tokens: AccessTokenTable;
  settings: SettingTable;
  flow_definitions: FlowDefinitionTable;
  flow_definition_versions: FlowDefinitionVersionTable;
  processes: ProcessTable;
  process_tasks: ProcessTaskTable;
  outbox: OutboxTable;
  event_deliveries: EventDeliveryTable;
  people_sessions: PeopleSessionTable;
  employee_preferences: EmployeePreferenceTable;
  process_ccs: ProcessCcTable;
  people_credentials: PeopleCredentialTable;
  people_invites: PeopleInviteTable;
  tenant_sso: TenantSsoTable;
  files: FileTable;
  file_links: FileLinkTable;
  tenant_admins: TenantAdminTable;
  jobs: JobTable;
  tenant_calendars: TenantCalendarTable;
  leave_types: LeaveTypeTable;
  leave_entries: LeaveEntryTable;
  delegations: DelegationTable;
  notifications: NotificationTable;
  notification_preferences: NotificationPreferenceTable;
  tenant_smtp: TenantSmtpTable;
  rate_limits: RateLimitTable;
}
