/**
 * The people API (`/api/v1`) as the web app sees it: request and response shapes, and nothing else.
 * Types only, no imports and no code, so `web/` imports this one file and the two sides cannot drift.
 * The route schemas in this folder validate the same shapes at run time; docs/people-api.md explains them.
 *
 * Conventions: JSON bodies; times are ISO 8601 strings (UTC, `Z`); people are named by `user_id`,
 * departments by `department_id`; texts shown to people come in both languages (`I18n`); lists are
 * paginated by an opaque `page_token` (absent on the last page).
 *
 * Auth: a session cookie (`pf_session`, httpOnly, SameSite=Lax; beside it `pf_signed_in`, readable, which
 * tells the web app a session cookie is there). Every request that changes state
 * (POST, PUT, PATCH, DELETE) carries the header `X-CSRF-Token` with the token from
 * `GET /api/v1/auth/csrf` (also returned by sign-in and `GET /api/v1/me`); without it: 403 `csrf_invalid`.
 * The sign-in routes need it too (login CSRF).
 */

export interface I18n {
  zh_cn: string;
  en_us: string;
}

export type Language = 'zh-CN' | 'en';

/** Why a directory or console-admin change was refused (ApiError `reason`; docs/console-api.md "Refusals"). */
export type RefusalReason =
  | 'last_tenant_admin'
  | 'department_has_subdepartments'
  | 'department_has_employees'
  | 'department_in_role_scope'
  | 'employee_leads_departments'
  | 'employee_manages_others'
  | 'employee_in_roles';

/** Every error: `{ error: ApiError }` with the HTTP status below. */
export interface ApiError {
  /**
   * A stable code the web app translates: `unauthenticated` (401), `csrf_invalid` (403),
   * `forbidden` (403), `not_found` / `process_not_found` / `task_not_found` (404),
   * `invalid_field` / `form_invalid` (400, with violations), `task_status_conflict` /
   * `process_status_conflict` (409: someone else acted first), `in_use` (409: still used, not changed),
   * `edit_conflict` (409: a console draft saved by someone else meanwhile), `definition_not_startable`
   * (409: the flow is disabled or unpublished), `operator_not_allowed` (403),
   * `too_many_requests` (429), `payload_too_large` (413), `upload_quota_exceeded` (413: the
   * person's uploads not attached to any request would pass their bound), `unsupported_media_type` (415),
   * `invalid_credentials` (401), `account_disabled` (403), `invite_invalid` (400).
   */
  code: string;
  /**
   * English, for logs and developers; the web app shows its own translation of `code`. A refusal
   * with a `reason` is worded in the request's language instead (`?lang=zh-CN|en`, else Accept-Language).
   */
  message: string;
  /** Why a directory or console-admin change was refused: stable, for clients to word it with `params`. */
  reason?: RefusalReason;
  params?: { department_id?: string; user_id?: string; role_keys?: string[]; department_ids?: string[] };
  /** Per-field problems; `field` is a dotted path into the request body (`form_values.days`). */
  violations?: { field: string; description: string }[];
}

export interface Page<T> {
  items: T[];
  page_token?: string;
  /** Total matching items, where cheap to know (the inbox tabs). */
  total?: number;
}

// ---------------------------------------------------------------------------------------------
// Directory

export interface PersonRef {
  user_id: string;
  name: I18n;
  email?: string;
  department?: { department_id: string; name: I18n };
  /** False for people who left: shown greyed out, never offered in pickers. */
  active: boolean;
}

export interface DepartmentRef {
  department_id: string;
  name: I18n;
  parent_department_id?: string;
}

/** GET /api/v1/people?query=&page_size=&page_token= → Page<PersonRef> (active people, by name). */
/** GET /api/v1/departments?query= → Page<DepartmentRef> (whole tree, bounded at 500 per page). */

// ---------------------------------------------------------------------------------------------
// Sign-in and the signed-in person

/**
 * GET /api/v1/auth/options?tenant=<tenant_key> — what the sign-in page offers. Without `tenant`,
 * the only tenant (404 `not_found` when there are several: the URL must name one, `/t/<key>/sign-in`).
 */
export interface SignInOptions {
  tenant: { tenant_key: string; name: string };
  /** Someone of the tenant has a password: show the password form. */
  password: boolean;
  /** Single sign-on configured for this tenant: a button starting `GET /api/v1/auth/oidc/start`. */
  oidc?: { label: string };
  /** Only with `--demo`: the people one may sign in as with one click. */
  demo_people?: (PersonRef & { title: I18n })[];
}

/**
 * POST /api/v1/auth/password → Me (and the session cookie). `login` is the email or the user_id.
 * 401 `invalid_credentials` (wrong password and unknown person alike), 403 `account_disabled`,
 * 429 `too_many_requests` (with Retry-After).
 */
export interface PasswordSignIn {
  tenant?: string;
  login: string;
  password: string;
}

/** POST /api/v1/auth/demo → Me. Only with `--demo`; 404 otherwise. */
export interface DemoSignIn {
  tenant?: string;
  user_id: string;
}

/**
 * GET /api/v1/auth/oidc/start?tenant=&return_to=/path → 302 to the identity provider (a navigation, not a
 * fetch); `return_to` must be a path on this site (400 `invalid_field` naming it otherwise).
 * GET /api/v1/auth/oidc/callback → 302 back to `return_to` (signed in) or to
 * `/sign-in?error=<code>` — `/t/<tenant_key>/sign-in?error=<code>` when the start named the tenant —
 * (`oidc_failed`, `unknown_person`, `account_disabled`).
 */

/** GET /api/v1/auth/invites/:token → who is invited; 400 `invite_invalid` when used or expired. */
export interface InviteInfo {
  tenant: { tenant_key: string; name: string };
  person: PersonRef;
  expires_at: string;
}
/** POST /api/v1/auth/invites/:token/accept { password } → Me (signed in). */
export interface InviteAccept {
  password: string;
}

/** POST /api/v1/auth/sign-out → 204; the session is deleted on the server. */
/** GET /api/v1/auth/csrf → { csrf_token } */
export interface CsrfToken {
  csrf_token: string;
}

/** GET /api/v1/me → Me; 401 `unauthenticated` without a live session. */
export interface Me {
  person: PersonRef;
  tenant: { tenant_key: string; name: string };
  /** The person's own setting; null = follow the browser. */
  language: Language | null;
  /** Process admin of at least one flow (sees the revoke action on their flows' processes). */
  is_process_admin: boolean;
  /** How this session signed in. */
  auth_method: 'password' | 'oidc' | 'demo' | 'invite';
  /** The person has a local password (can change it). */
  has_password: boolean;
  /**
   * Admin console roles: a tenant admin may use all of it; a process admin only their flows (and their
   * processes). Neither: the console is not offered (and `/api/v1/admin/*` answers 403 `forbidden`).
   */
  console: { tenant_admin: boolean; flow_ids: string[] };
  csrf_token: string;
}

/** PATCH /api/v1/me { language } → Me */
export interface MeUpdate {
  language: Language | null;
}

/**
 * POST /api/v1/me/password → 204; the person's other sessions end. 400 `invalid_field` naming
 * `new_password` (8–200 chars) or `current_password` (not the current one); 429 `too_many_requests`.
 */
export interface PasswordChange {
  current_password: string;
  new_password: string;
}

// ---------------------------------------------------------------------------------------------
// Flows (what one can start) and forms

export type FieldType =
  | 'text'
  | 'bool'
  | 'number'
  | 'enum'
  | 'date'
  | 'date_time'
  | 'i18n'
  | 'user'
  | 'department'
  | 'employment'
  | 'list'
  | 'file'
  | 'object'
  | 'record';

export interface FormField {
  api_name: string;
  label: I18n;
  type: FieldType;
  required: boolean;
  options?: { value: string; label: I18n }[];
  /** record: the columns of each row. */
  sub_fields?: FormField[];
  /** GET /api/v1/flows/:flow_id only (h-rules): shown under the field. */
  help_text?: I18n;
  /** GET /api/v1/flows/:flow_id only: the value to prefill. */
  default?: string | boolean | string[];
  /** GET /api/v1/flows/:flow_id only: the server computes this field on submit (what is typed is ignored). */
  calculated?: boolean;
  /** GET /api/v1/flows/:flow_id only: a CEL condition; the field counts (and may be required) only while it holds. */
  shown_when?: string;
}

/**
 * A form value in the people API:
 * text/number/date/enum: string (number as a decimal string, date `YYYY-MM-DD`);
 * date_time: ISO 8601 string; bool: boolean; i18n: I18n; user/employment: user_id;
 * department: department_id; list: string[]; file: FileRef (upload first, send `{file_id}`);
 * object: { wk_id, wk_api_name }; record: array of rows, each `{ [sub_field]: value }`.
 * In responses, user and department values also come resolved in `ProcessDetail.display_values`.
 */
export type FormValue =
  | string
  | boolean
  | I18n
  | string[]
  | FileRef
  | { wk_id: string; wk_api_name: string }
  | Record<string, unknown>[];

export type FormValues = Record<string, FormValue>;

/** GET /api/v1/flows?query= → Page<FlowSummary>: enabled flows the person may start. */
export interface FlowSummary {
  flow_id: string;
  name: I18n;
  biz_type: string;
  biz_type_name: I18n;
  version: number;
}

/** GET /api/v1/flows/:flow_id → FlowForm (the published version new requests use). */
export interface FlowForm extends FlowSummary {
  form: FormField[];
  /** Nodes whose approvers the initiator picks when starting. */
  selectable_nodes: { node_id: string; name: I18n; multiple: boolean }[];
}

/**
 * POST /api/v1/flows/:flow_id/preview { form_values, selected_approvers } → PathPreview.
 * Partial values are fine (a preview while typing); nothing is stored.
 */
export interface PreviewRequest {
  form_values: FormValues;
  /** node_id → user_ids */
  selected_approvers?: Record<string, string[]>;
}

export interface PathPreview {
  steps: PreviewStep[];
  /** The flow would refuse to start now (a node without approvers that refuses): why. */
  blocked?: { node_id: string; name: I18n };
  /** Values the server cannot use yet (shown as hints, not errors, while typing). */
  violations?: { field: string; description: string }[];
  /** Calculated fields' values from the values so far, as display text (api_name → text). */
  calculated_values?: Record<string, I18n>;
  /** Fields whose `shown_when` does not hold for the values so far: not asked, their values dropped. */
  hidden_fields?: string[];
}

export interface PreviewStep {
  node_id: string;
  kind: 'start' | 'approval' | 'form_fill' | 'cc' | 'exclusive' | 'parallel' | 'join' | 'end';
  name: I18n;
  /** approval: 'or' | 'and' | 'sequential' | 'ratio'. */
  mode?: string;
  assignees: PersonRef[];
  /** Of the assignees, those skipped as duplicate approvers (auto-passed). */
  skipped: string[];
  /** Empty approver set handled by: auto-pass, or the process admins. */
  fallback?: 'auto_pass' | 'to_admins';
  /** Why these people: one line per rule, in both languages ("Manager of the initiator"). */
  reasons: I18n[];
  /** '' outside parallel branches. */
  branch: string;
}

/**
 * POST /api/v1/processes → 201 StartResult (open `GET /api/v1/processes/:process_id` for the detail).
 * 400 `form_invalid` with violations on `form_values.*`.
 */
export interface StartResult {
  process_id: string;
  status: ProcessStatus;
}

export interface StartRequest {
  flow_id: string;
  form_values: FormValues;
  selected_approvers?: Record<string, string[]>;
}

// ---------------------------------------------------------------------------------------------
// The approval center: inbox tabs

export type InboxTab = 'todo' | 'done' | 'started' | 'cc';
export type ProcessStatus = 'in_progress' | 'rejected' | 'withdrawn' | 'revoked' | 'completed' | 'revoking';
export type TaskStatus =
  | 'skipped'
  | 'initiated'
  | 'not_started'
  | 'in_progress'
  | 'rejected'
  | 'approved'
  | 'cancelled'
  | 'transferred'
  | 'form_submitted'
  | 'rolled_back'
  | 'revoke_initiated';

/** GET /api/v1/inbox/counts → InboxCounts (todo: open tasks; cc: unread is not tracked, all CCs). */
export interface InboxCounts {
  todo: number;
  done: number;
  started: number;
  cc: number;
}

/**
 * A form field as one short line. `format` marks a date (`YYYY-MM-DD`) or a date-time (ISO 8601 UTC): its
 * `value` holds that text in both languages, for the reader to show in their own language and time zone.
 */
export interface SummaryLine {
  label: I18n;
  value: I18n;
  format?: 'date' | 'date_time';
}

/**
 * GET /api/v1/inbox/:tab → Page<InboxItem>, total included. Query: `query` (flow name, initiator
 * name, or process id), `flow_id`, `status` (ProcessStatus), `from`/`to` (ISO dates on the process's
 * start), `overdue=true` (to-dos waiting longer than the overdue threshold, 48 h),
 * `sort=newest|oldest` (oldest = longest waiting first), `page_size` (1–100, default 20), `page_token`.
 */
export interface InboxItem {
  process_id: string;
  /** todo/done: the person's task in this process (the latest one, for done). */
  task_id?: string;
  flow: { flow_id: string; name: I18n };
  biz_type_name: I18n;
  initiator: PersonRef;
  status: ProcessStatus;
  /** todo/done: the node of the person's task. */
  node_name?: I18n;
  task_status?: TaskStatus;
  /** Up to three short "label: value" lines from the form. */
  summary: SummaryLine[];
  started_at: string;
  updated_at: string;
  /** todo: since when the task waits for the person. */
  waiting_since?: string;
  overdue: boolean;
  /** todo: the node lets one approve without an opinion or fields to fill (batch approve offers it). */
  batch_approvable: boolean;
}

/** POST /api/v1/inbox/batch-approve { items } → BatchResult; each item decided on its own. */
export interface BatchApprove {
  items: { process_id: string; task_id: string }[];
  opinion?: string;
}
export interface BatchResult {
  results: { process_id: string; task_id: string; ok: boolean; error?: ApiError }[];
}

// ---------------------------------------------------------------------------------------------
// A process

/** GET /api/v1/processes/:process_id → ProcessDetail; 404 `process_not_found` for people who may not see it. */
export interface ProcessDetail {
  process_id: string;
  flow: { flow_id: string; name: I18n; version: number };
  biz_type_name: I18n;
  status: ProcessStatus;
  initiator: PersonRef;
  started_at: string;
  updated_at: string;
  completed_at?: string;
  /** Up to five "label: value" lines from the form. */
  summary: SummaryLine[];
  form: FormField[];
  form_values: FormValues;
  /** People and departments named in `form_values`, resolved for display. */
  people: Record<string, PersonRef>;
  departments: Record<string, DepartmentRef>;
  files: Record<string, FileRef>;
  /** The signed-in person's open tasks here, with what each allows. */
  my_tasks: MyTask[];
  /** Process-level actions the signed-in person may take now. */
  can: { withdraw: boolean; revoke: boolean; comment: boolean };
  timeline: TimelineEntry[];
  /** What is still ahead (a preview from the current node on), for "who comes next". */
  upcoming: PreviewStep[];
  comments: CommentView[];
}

export interface MyTask {
  task_id: string;
  node_id: string;
  node_name: I18n;
  type: 'approval' | 'form_fill';
  /** Fields this node lets the assignee edit, and which of them are required. */
  editable_fields: string[];
  required_fields: string[];
  can: { approve: boolean; reject: boolean; transfer: boolean; add_sign: boolean; return: boolean };
  /** Earlier nodes this task may be returned to. */
  return_targets: { node_id: string; name: I18n }[];
}

/** One node run with its tasks, or one process-level happening, in time order. */
export type TimelineEntry =
  | {
      kind: 'node';
      node_run_id: string;
      node_id: string;
      node_kind: PreviewStep['kind'] | 'revoke_approval';
      name: I18n;
      status: 'not_started' | 'in_progress' | 'rejected' | 'passed' | 'cancelled' | 'skipped' | 'rolled_back';
      mode?: string;
      started_at: string;
      ended_at?: string;
      auto_passed: boolean;
      tasks: TaskView[];
      /** cc nodes: who was copied. */
      cc: PersonRef[];
    }
  | {
      kind: 'action';
      /** start, withdraw, revoke, add_sign, transfer, return, comment, approve, reject, system. */
      action: string;
      actor: PersonRef | null;
      at: string;
      /** Human-readable detail in both languages ("added Li Lei before themselves, or-sign"). */
      detail?: I18n;
      reason?: string;
      /** action 'comment': the comment in `ProcessDetail.comments`. */
      comment_id?: string;
      /** Done by a console admin (reassign, return, withdraw, revoke in the admin console). */
      by_admin?: boolean;
      /** A withdraw or revoke an admin did for the initiator; a transfer of an out-of-office person's tasks. */
      on_behalf_of?: PersonRef;
    }
  | {
      /** A system step (node type 7) after completion: what the approval made the system do. */
      kind: 'system_step';
      node_type: 7;
      job_id: string;
      /** `action` (the business type's record change), `compensate` (its reversal on revoke), `http_action`. */
      step: 'action' | 'compensate' | 'http_action';
      name: I18n;
      status: 'pending' | 'running' | 'done' | 'failed' | 'cancelled';
      started_at: string;
      /** Pending until a later day (an effective date) or a retry. */
      due_at?: string;
      ended_at?: string;
      attempts: number;
      /** Why it failed: to the flow's process admins only. */
      error?: string;
    };

export interface TaskView {
  task_id: string;
  assignee: PersonRef;
  status: TaskStatus;
  type: 'approval' | 'form_fill';
  created_at: string;
  completed_at?: string;
  opinion?: string;
  by_system: boolean;
  transferred_to?: PersonRef;
  /** The person the task was meant for, when their out-of-office delegate has it (the assignee). */
  on_behalf_of?: PersonRef;
  /** node, add_sign_pre, add_sign_parallel, add_sign_post */
  origin: string;
  /** Why this person: the rule that resolved them ("Manager of the initiator", "Transferred by Li Lei"). */
  why: I18n;
}

export interface CommentView {
  comment_id: string;
  author: PersonRef;
  text: string;
  mentions: PersonRef[];
  files: FileRef[];
  created_at: string;
}

// Task actions: POST /api/v1/processes/:process_id/tasks/:task_id/<action> → ProcessDetail.
/** …/approve */
export interface ApproveRequest {
  opinion?: string;
  /** The node's editable fields (see MyTask). */
  field_values?: FormValues;
}
/** …/reject — the opinion is required (400 `invalid_field` naming `opinion`). */
export interface RejectRequest {
  opinion: string;
}
/** …/transfer */
export interface TransferRequest {
  to_user_id: string;
  remark?: string;
}
/** …/add-sign — pre: before me; parallel: beside me (countersign only); post: after me. */
export interface AddSignRequest {
  position: 'pre' | 'parallel' | 'post';
  mode: 'or' | 'and';
  user_ids: string[];
  remark?: string;
}
/** …/return */
export interface ReturnRequest {
  target_node_id: string;
  reason?: string;
}

// Process actions: POST /api/v1/processes/:process_id/<action> → ProcessDetail.
/** …/withdraw (initiator, while in progress) and …/revoke (process admin, once completed). */
export interface ReasonRequest {
  reason?: string;
}
/** POST /api/v1/processes/:process_id/comments → 201 ProcessDetail. */
export interface CommentRequest {
  /** 1–2000 characters (trimmed). */
  text: string;
  /** Active people of the tenant; a mentioned person may see the process from then on. */
  mention_user_ids?: string[];
  /** Up to 20 files the author uploaded (POST /api/v1/files). */
  file_ids?: string[];
  /**
   * Optional key the web app makes once per typed comment: sending it again (double click, retry)
   * adds nothing and answers 409 `process_status_conflict`.
   */
  client_token?: string;
}

// ---------------------------------------------------------------------------------------------
// Files

/**
 * POST /api/v1/files, multipart/form-data with one part named `file` (its file name and
 * Content-Type) → 201 FileRef. Limit `--file-size-limit-mb` (default 20 MiB; 413
 * `payload_too_large`); types outside the allow-list, or whose bytes are not what they are
 * declared as, 415 `unsupported_media_type`; a bad file name 400 `invalid_field` on `file.name`.
 * GET /api/v1/files/:file_id → the bytes (Content-Disposition: attachment), to the uploader and to
 * people who may see a process that references the file; 404 `not_found` otherwise.
 */
export interface FileRef {
  file_id: string;
  name: string;
  size: number;
  content_type: string;
}

// ---------------------------------------------------------------------------------------------
// Live updates

/**
 * GET /api/v1/events — Server-Sent Events (text/event-stream) for the signed-in person.
 * `event: change`, data `LiveChange`: a process the person may see changed (refetch the inbox,
 * its counts and that process's detail). `event: ping` every 25 s keeps proxies from closing the
 * stream. Changes made while the stream was closed are not replayed: refetch when it (re)opens.
 * At most 10 streams per person per server (429 `too_many_requests`).
 */
export interface LiveChange {
  process_id: string;
  /** What changed: the process (status, form, nodes, CC), its tasks, its comments. */
  kinds: ('process' | 'task' | 'comment')[];
}

// =============================================================================================
// The admin console: `/api/v1/admin/*` (docs/console-api.md). Every route needs a console role
// (`Me.console`); 403 `forbidden` without one, or without the role the operation needs. A flow the
// person does not administer answers 404 `not_found`. Each area below is its own section.

// ---------------------------------------------------------------------------------------------
// Console: tenant admins

/** GET /api/v1/admin/admins → { items: ConsoleAdmin[] }; PUT /api/v1/admin/admins/:user_id → ConsoleAdmin;
 * DELETE /api/v1/admin/admins/:user_id → 204 (409 `in_use` for the last one). Tenant admins only. */
export interface ConsoleAdmin {
  person: PersonRef;
  granted_at: string;
}

// ---------------------------------------------------------------------------------------------
// Console: flow definitions (h-flows)

/**
 * GET /api/v1/admin/flows?query=&page_size=&page_token= → Page<ConsoleFlowSummary>: the flows the
 * person administers (all of the tenant's for a tenant admin), by id; `query` matches names, business
 * type and id. Name and business type are the draft's when there is one (what is being worked on),
 * else the latest version's.
 */
export interface ConsoleFlowSummary {
  flow_id: string;
  name: I18n;
  biz_type: string;
  biz_type_name: I18n;
  enabled: boolean;
  /** 0: never published. */
  latest_version: number;
  has_draft: boolean;
  /** Send it back with a draft save or a publish (it rises with every save and publish). */
  draft_revision: number;
  /** Processes in progress, on any version. */
  running: number;
  updated_at: string;
  process_admins: PersonRef[];
}

export interface ConsoleFlowDraft {
  document: FlowDocument;
  revision: number;
  updated_at: string;
  /** Absent when saved through the admin API. */
  updated_by?: PersonRef;
}

/** GET /api/v1/admin/flows/:flow_id → ConsoleFlowDetail (404 `not_found` for a flow one does not administer). */
export interface ConsoleFlowDetail extends ConsoleFlowSummary {
  /** Null when there is none: the editor starts from `published`, and the first save creates it. */
  draft: ConsoleFlowDraft | null;
  /** The latest published version's document; null before the first publish. */
  published: FlowDocument | null;
}

/**
 * POST /api/v1/admin/flows (tenant admins) → 201 ConsoleFlowCreated. One of:
 * `{ name, biz_type }` (blank: a start and an end node), `{ clone_from: flow_id, name? }` (the
 * other flow's draft, else its latest version), `{ template: biz_type, name? }` (GET
 * /api/v1/admin/flow-templates). The new flow holds the document as its draft; the person creating it
 * is its process admin when the document names none.
 * POST /api/v1/admin/flows/import { document } (tenant admins) → 201 ConsoleFlowCreated, likewise.
 */
export interface ConsoleFlowCreateRequest {
  name?: I18n;
  biz_type?: string;
  clone_from?: string;
  template?: string;
}
export interface ConsoleFlowCreated {
  flow: ConsoleFlowDetail;
  /** What publishing the new draft would refuse (empty for a template). */
  problems: FlowProblem[];
}

/** GET /api/v1/admin/flow-templates → { items: FlowTemplate[] }: one starter per known business type. */
export interface FlowTemplate {
  biz_type: string;
  biz_type_name: I18n;
  document: FlowDocument;
}

/**
 * PUT /api/v1/admin/flows/:flow_id/draft { document, revision } → FlowDraftSaved. Saved when
 * `revision` is the stored one (the answer carries the next); otherwise 409 `edit_conflict`
 * (FlowEditConflict) and nothing is saved. A document that breaks the schema is a 400 `invalid_field`
 * naming its JSON path (`document.nodes[2].type`); one that only has problems is saved, and they come back.
 */
export interface FlowDraftSaveRequest {
  document: FlowDocument;
  revision: number;
}
export interface FlowDraftSaved {
  revision: number;
  updated_at: string;
  updated_by?: PersonRef;
  problems: FlowProblem[];
}

/** 409 `edit_conflict` of a draft save or publish: the error also says where the draft is now. */
export interface FlowEditConflict extends ApiError {
  current: { revision: number; updated_at?: string; updated_by?: PersonRef };
}

/**
 * POST /api/v1/admin/flows/:flow_id/validate { document? } → { problems: FlowProblem[] }: of the given
 * (unsaved) document, else the draft, else the latest version. Nothing is saved.
 */
export interface FlowValidation {
  problems: FlowProblem[];
}

/**
 * POST /api/v1/admin/flows/:flow_id/publish { revision } → ConsoleFlowDetail (the new version,
 * no draft). While problems remain: 400 `invalid_field` (FlowPublishRefused), nothing published; a
 * stale revision: 409 FlowEditConflict.
 */
export interface FlowPublishRefused extends ApiError {
  problems: FlowProblem[];
}

/**
 * GET /api/v1/admin/flows/:flow_id/versions?page_size=&page_token= → Page<FlowVersionSummary>, newest
 * first; GET …/versions/:version → FlowDocument; GET …/export?version= → the document as a JSON
 * download (default: the latest version, else the draft).
 */
export interface FlowVersionSummary {
  version: number;
  published_at: string;
  /** Absent when published through the admin API. */
  published_by?: PersonRef;
}

// ---------------------------------------------------------------------------------------------
// Console: the flow document as the designers edit it (h-rules: form fields and rules; h-flowdesigner: nodes)

/**
 * A flow definition as admins write it: the same JSON the admin API takes on create, draft update and
 * import (docs/admin-api.md "Flow definitions"), people by `user_id`. The designers edit this document;
 * the server validates it (problems pinned on their node or field) and publishes it.
 */
export interface FlowDocument {
  name: I18n;
  /** A known business type key (`leave_application`, `travel_application`, …) or `custom:<name>`. */
  biz_type: string;
  process_admins: string[];
  settings?: { skip_duplicate_approvers?: boolean; revoke_needs_approval?: boolean };
  form: FlowFormField[];
  /** Cross-field validations, visibility and calculated fields (h-rules). */
  rules?: FlowFormRules;
  nodes: FlowNode[];
  /**
   * When a request completes (and, unless `on_revoke` is false, when it is revoked): a POST of the
   * process and its form to `url`, encrypted and signed with app `app_id`'s encrypt key like its
   * event pushes (docs/actions.md "HTTP action").
   */
  http_action?: { url: string; app_id: string; on_revoke?: boolean };
}

/** The form field types (the same as a started process's form). */
export type FlowFieldType = FieldType;

export interface FlowFormField {
  api_name: string;
  label: I18n;
  type: FlowFieldType;
  required?: boolean;
  /** enum: the allowed values. */
  options?: { value: string; label: I18n }[];
  /** record: the columns of each row (no nested records). */
  sub_fields?: FlowFormField[];
  /** Shown under the field. */
  help_text?: I18n;
  /** Prefilled on the form: a value of the field's type (text, number as a decimal string, bool, enum, date, list). */
  default?: string | boolean | string[];
  /** number: numbers; date: `YYYY-MM-DD`; date_time: ISO 8601. Inclusive. */
  min?: number | string;
  max?: number | string;
  /** number: at most this many decimal places (0–10). */
  precision?: number;
  /** text: length bounds in characters, and a regular expression the whole text must match. */
  min_length?: number;
  max_length?: number;
  pattern?: string;
}

/**
 * Form rules (docs/engine.md "Form rules"): CEL over `form.<api_name>`, enforced by the server at start
 * and at each node that edits the form — calculations first, then visibility, then validations.
 */
export interface FlowFormRules {
  /** A rule that is false refuses the form with `message` on each of `fields`. */
  validations?: { id: string; expression: string; message: I18n; fields: string[] }[];
  /** `field` is shown (and may be required) only while `when` is true; otherwise its value is dropped. */
  visibility?: { field: string; when: string }[];
  /** The server computes `field` (client values are ignored). */
  calculations?: { field: string; expression: string }[];
}

export type FlowApproverRule =
  | { type: 'users'; user_ids: string[] }
  | { type: 'manager'; level: number }
  | { type: 'department_leader'; level: number }
  | { type: 'role'; role_key: string }
  | { type: 'form_field'; field: string }
  | { type: 'initiator_selected' }
  | { type: 'initiator' };

export type FlowApprovalMode = 'or' | 'and' | 'sequential' | { ratio: number };
export type FlowEmptyFallback = 'auto_pass' | 'to_admins' | 'refuse';

export type FlowNode =
  | { type: 'start'; id: string; name?: I18n; next: string }
  | {
      type: 'approval';
      id: string;
      name: I18n;
      approvers: FlowApproverRule[];
      mode?: FlowApprovalMode;
      empty_fallback?: FlowEmptyFallback;
      editable_fields?: string[];
      required_fields?: string[];
      /** Fields not shown to this node's assignees (h-flowdesigner). */
      hidden_fields?: string[];
      next: string;
    }
  | {
      type: 'form_fill';
      id: string;
      name: I18n;
      assignees: FlowApproverRule[];
      empty_fallback?: FlowEmptyFallback;
      editable_fields: string[];
      required_fields?: string[];
      /** Fields not shown to this node's assignees (h-flowdesigner). */
      hidden_fields?: string[];
      next: string;
    }
  | { type: 'cc'; id: string; name: I18n; recipients: FlowApproverRule[]; next: string }
  | {
      type: 'exclusive';
      id: string;
      name?: I18n;
      /** CEL over `form.<api_name>` and `initiator.<attribute>`; the first true branch is taken. */
      branches: { condition: string; next: string }[];
      default_next: string;
    }
  | { type: 'parallel'; id: string; name?: I18n; branches: string[]; join: string }
  | { type: 'join'; id: string; name?: I18n; next: string }
  | { type: 'end'; id: string; name?: I18n };

/**
 * One thing publishing would refuse, pinned where it is: `field` is a JSON path into the document
 * (`nodes[3].approvers[0].user_ids[1]`, `form[2].api_name`); `node_id` / `field_api_name` name the
 * node or form field it belongs to, when it belongs to one (the designers focus it on click).
 */
export interface FlowProblem {
  field: string;
  description: string;
  node_id?: string;
  field_api_name?: string;
}

// ---------------------------------------------------------------------------------------------
// Console: expression checking (live, while typing)

/**
 * POST /api/v1/admin/expressions/check { form, expression, kind, field? } → ExpressionCheckResult.
 * `form` is the form as the designer has it (unsaved); `kind: 'condition'` (a branch condition:
 * true/false), `'validation'` / `'visibility'` (form rules: true/false), `'calculation'` (a value of
 * the type of `field`, which is required for this kind). `type` is the expression's CEL result type.
 * Any console role. Nothing is saved.
 */
export interface ExpressionCheckRequest {
  form: FlowFormField[];
  expression: string;
  kind: 'condition' | 'validation' | 'visibility' | 'calculation';
  field?: string;
}
export type ExpressionCheckResult = { ok: true; type?: string } | { ok: false; problem: string };

// ---------------------------------------------------------------------------------------------
// Console: the path preview on the flow designer's canvas (h-flowdesigner)

/**
 * POST /api/v1/admin/flows/:flow_id/preview { document?, initiator_user_id, form_values,
 * selected_approvers? } → PathPreview (as for a new request): the path the given document (default:
 * the saved draft, else the latest version) would take for that initiator and those values, each
 * node's resolved people. Nothing is started.
 */
export interface CanvasPreviewRequest {
  document?: FlowDocument;
  initiator_user_id: string;
  form_values: FormValues;
  selected_approvers?: Record<string, string[]>;
}

// ---------------------------------------------------------------------------------------------
// Console: organisation simulation, publish impact (h-sim)

/**
 * POST /api/v1/admin/flows/:flow_id/simulation → SimulationResult (JSON), or with `Accept: text/csv`
 * (or `?format=csv`) the whole result as CSV (UTF-8 with BOM, one line per employee, one column per
 * node). Every active employee of the tenant (or of `department_id` and its sub-departments) as the
 * initiator of `document` (default: the saved draft, else the latest version) with `form_values` (fields
 * left out are empty). Flow admins of the flow. Nothing is started or stored.
 */
export interface SimulationRequest {
  /** A department's `department_id`: simulate its employees and those of its sub-departments. */
  department_id?: string;
  form_values?: FormValues;
  document?: FlowDocument;
  /** Only rows with a fallback, a self-approval or a refused start (the summary counts everyone). */
  only_problems?: boolean;
  /** Rows per page, 1–200 (default 50). */
  page_size?: number;
  page_token?: string;
}

/** Why a node's rules named nobody (so the empty-approver fallback fires). */
export type SimulationCause =
  | 'no_manager'
  | 'manager_inactive'
  | 'no_department'
  | 'no_department_leader'
  | 'leader_is_initiator'
  | 'leader_inactive'
  | 'unknown_role'
  | 'empty_role'
  | 'empty_form_field'
  | 'users_inactive'
  | 'not_selected';

export interface SimulationNode {
  node_id: string;
  kind: PreviewStep['kind'];
  name: I18n;
  /** Employees whose path passes this node. */
  reached: number;
  fallbacks: number;
  self_approvals: number;
  refused: number;
  /** How often each cause made the node's rules empty. */
  causes: Partial<Record<SimulationCause, number>>;
}

export interface SimulationSummary {
  /** Where the simulated flow came from. */
  source: 'document' | 'draft' | 'version';
  /** source `version`: which. */
  version?: number;
  employees: number;
  employees_with_problems: number;
  with_fallback: number;
  with_self_approval: number;
  refused: number;
  longest_chain: number;
  average_chain: number;
  /** Every node of the flow, in document order. */
  nodes: SimulationNode[];
  /** How long the simulation took on the server. */
  duration_ms: number;
}

export interface SimulationDepartment {
  /** null: employees in no department. */
  department: DepartmentRef | null;
  employees: number;
  employees_with_problems: number;
  /** node_id → employees whose path hits the fallback there. */
  fallbacks_by_node: Record<string, number>;
  self_approvals: number;
  refused: number;
  longest_chain: number;
}

export interface SimulationRowNode {
  node_id: string;
  kind: PreviewStep['kind'];
  /** After fallbacks: the process admins when the fallback sends the node to them. */
  assignees: PersonRef[];
  /** user_ids of assignees skipped as duplicate approvers. */
  skipped: string[];
  fallback?: 'auto_pass' | 'to_admins';
  refused?: boolean;
  /** When the rules named nobody: why, one per rule. */
  causes: SimulationCause[];
  /** The initiator would approve their own request here. */
  self_approval: boolean;
}

export interface SimulationRow {
  initiator: PersonRef;
  /** Approval nodes where somebody would approve (not auto-passed, not skipped). */
  chain_length: number;
  fallbacks: number;
  self_approvals: number;
  refused: boolean;
  problem: boolean;
  /** The path, in order (gateways and joins included, as in PathPreview). */
  nodes: SimulationRowNode[];
}

export interface SimulationResult {
  summary: SimulationSummary;
  /** Departments with the most problems first, at most 500 (`departments_total` counts them all). */
  departments: SimulationDepartment[];
  departments_total: number;
  /** The 10 longest chains, longest first. */
  longest: SimulationRow[];
  /** One page of rows, by employee. */
  rows: SimulationRow[];
  /** Rows matching `only_problems`, across all pages. */
  rows_total: number;
  page_token?: string;
}

/**
 * POST /api/v1/admin/flows/:flow_id/impact { last?, document? } → PublishImpact. The last `last`
 * (1–1000, default 100) processes of the flow, most recently active first, replayed (their initiator,
 * form values and chosen approvers, against today's directory) through the version each ran on and
 * through `document` (default: the saved draft); those whose path would differ are listed.
 */
export interface PublishImpactRequest {
  last?: number;
  document?: FlowDocument;
}

/** One node of a replayed path where people act or are copied (gateways are left out). */
export interface ImpactStep {
  node_id: string;
  kind: 'approval' | 'form_fill' | 'cc';
  name: I18n;
  assignees: PersonRef[];
  fallback?: 'auto_pass' | 'to_admins';
  refused?: boolean;
}

export interface ImpactedProcess {
  process_id: string;
  initiator: PersonRef;
  started_at: string;
  status: ProcessStatus;
  /** The version it ran on. */
  version: number;
  before: ImpactStep[];
  after: ImpactStep[];
}

export interface PublishImpact {
  /** Processes replayed (at most `last`). */
  compared: number;
  changed: ImpactedProcess[];
}

// ---------------------------------------------------------------------------------------------
// Console: directory and CSV import (h-dir)

// Tenant admins only. Lists answer `Page<…>` (paging by page_token); refusals name their field
// (`invalid_field`), a department or person still in use answers 409 `in_use` with the reason.

/** GET /api/v1/admin/directory/departments?page_size(≤500)&page_token → Page<ConsoleDepartment> (flat, by creation). */
export interface ConsoleDepartment {
  department_id: string;
  name: I18n;
  parent_department_id: string | null;
  leader: PersonRef | null;
}
/** POST /api/v1/admin/directory/departments → 201 ConsoleDepartment; `department_id` made up when left out. */
export interface ConsoleDepartmentCreate {
  department_id?: string;
  name: I18n;
  parent_department_id?: string | null;
  leader_user_id?: string | null;
}
/** PATCH /api/v1/admin/directory/departments/:department_id → ConsoleDepartment (rename, move, leader; a move
 * under itself or a sub-department is refused on `parent_department_id`). DELETE → 204, 409 `in_use` while it
 * has sub-departments, employees or role scopes. */
export type ConsoleDepartmentPatch = Partial<Omit<ConsoleDepartmentCreate, 'department_id'>>;

export type EmploymentStatus = 'pre_hire' | 'active' | 'terminated';

/** How a person can sign in: a local password, the newest invite link. */
export interface ConsoleSignIn {
  has_password: boolean;
  invite: { status: 'pending' | 'used' | 'expired'; expires_at: string } | null;
}

/** GET /api/v1/admin/directory/employees?query&department_id&employment_status&page_size(≤100)&page_token →
 * Page<ConsoleEmployee>; `query` matches part of a name, the email or the user_id. GET …/:user_id → one. */
/**
 * Profile fields included (EmployeeProfileFields): bank account and ID number masked unless the one
 * employee is read with `GET …/employees/:user_id?reveal=sensitive`.
 */
export interface ConsoleEmployee extends EmployeeProfileFields {
  user_id: string;
  name: I18n;
  email: string;
  department: { department_id: string; name: I18n } | null;
  manager: PersonRef | null;
  employment_status: EmploymentStatus;
  sign_in: ConsoleSignIn;
}
/** POST /api/v1/admin/directory/employees → 201 ConsoleEmployee; `user_id` made up when left out. */
export interface ConsoleEmployeeCreate {
  user_id?: string;
  name: { zh_cn: string; en_us?: string };
  email: string;
  department_id?: string | null;
  manager_user_id?: string | null;
  employment_status?: EmploymentStatus;
  /** Profile fields: null or '' clears one; a bad value is refused naming the field. */
  job_title?: string | null;
  phone?: string | null;
  personal_email?: string | null;
  address?: string | null;
  emergency_contact_name?: string | null;
  emergency_contact_phone?: string | null;
  bank_account?: string | null;
  id_number?: string | null;
  probation_status?: 'on_probation' | 'regular' | null;
  probation_end_date?: string | null;
  last_day?: string | null;
}
/** PATCH /api/v1/admin/directory/employees/:user_id → ConsoleEmployee (a manager cycle is refused on `manager_user_id`). */
export type ConsoleEmployeePatch = Partial<Omit<ConsoleEmployeeCreate, 'user_id'>>;

/** POST …/employees/:user_id/invite → ConsoleInvite (earlier links stop working);
 * POST …/employees/:user_id/reset-password → ConsoleInvite (the password is removed, sessions end, a fresh link).
 * There is no mail: the admin hands the link over. */
export interface ConsoleInvite {
  user_id: string;
  url: string;
  expires_at: string;
}

/** GET /api/v1/admin/directory/roles?page_size(≤100)&page_token → Page<ConsoleRole>. */
export interface ConsoleRole {
  role_key: string;
  name: I18n;
  /** `departments` empty: the member serves the whole tenant. */
  members: { person: PersonRef; departments: { department_id: string; name: I18n }[] }[];
}
/** POST /api/v1/admin/directory/roles → 201 ConsoleRole; PATCH …/roles/:role_key { name?, members? } →
 * ConsoleRole (members replaced as a whole); DELETE → 204. */
export interface ConsoleRoleCreate {
  role_key: string;
  name: I18n;
  members?: { user_id: string; department_ids?: string[] }[];
}
export type ConsoleRolePatch = Partial<Omit<ConsoleRoleCreate, 'role_key'>>;

export type ImportKind = 'departments' | 'employees';

/** POST /api/v1/admin/directory/import → ImportReport. The file must be UTF-8 (a BOM is fine), at most 2 MiB
 * and 10,000 rows: otherwise 400 `invalid_field` on `content_base64` naming the problem. */
export interface ImportRequest {
  kind: ImportKind;
  content_base64: string;
  dry_run: boolean;
}
/** Row problems leave everything unchanged (`applied: false`), dry run or not. */
export interface ImportReport {
  kind: ImportKind;
  dry_run: boolean;
  applied: boolean;
  rows: number;
  creates: number;
  updates: number;
  unchanged: number;
  /** `line` counts the header as line 1; `column` is a header name, null for the row as a whole. */
  problems: ImportProblem[];
}
/** `code` (with `params`) names the problem for a client to word it; `message` is the English. */
export interface ImportProblem {
  line: number;
  column: string | null;
  code:
    | 'csv_invalid'
    | 'no_header'
    | 'unknown_column'
    | 'duplicate_column'
    | 'missing_column'
    | 'value_count'
    | 'required'
    | 'bad_id'
    | 'too_long'
    | 'control_character'
    | 'bad_email'
    | 'bad_status'
    | 'duplicate_id'
    | 'duplicate_email'
    | 'email_taken'
    | 'own_parent'
    | 'own_manager'
    | 'unknown_department'
    | 'unknown_parent'
    | 'unknown_leader'
    | 'unknown_manager'
    | 'department_cycle'
    | 'manager_cycle';
  params: {
    value?: string;
    other_line?: number;
    user_id?: string;
    cycle?: string[];
    values?: number;
    columns?: number;
    allowed?: string[];
    detail?: string;
  };
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Console: apps and events (h-apps)

/** What an app may call through the Open API (docs/open-api.md). */
export type ConsoleAppScope = 'corehr:process:readonly' | 'corehr:process' | 'corehr:process.approver';
/** The process event types an app can subscribe to (docs/events.md). */
export type ConsoleEventType =
  | 'corehr.process.status.update_v2'
  | 'corehr.process.updated_v2'
  | 'corehr.process.node.updated_v2'
  | 'corehr.process.approver.updated_v2'
  | 'corehr.process.cc.updated_v2'
  | 'corehr.process_comment_info.updated_v2';
export type ConsoleDeliveryMode = 'webhook' | 'long_connection';

export interface ConsoleEventSettings {
  delivery_mode: ConsoleDeliveryMode;
  /** Webhook mode: where events are posted; it must pass the url_verification challenge to be saved. */
  request_url: string | null;
  verification_token: string | null;
  /** Set: event bodies are encrypted with it (AES-256-CBC), and signed. */
  encrypt_key: string | null;
  event_types: ConsoleEventType[];
}

/** One url_verification handshake: the challenge posted to the request URL, and what came back. */
export interface ConsoleUrlVerification {
  request_url: string;
  passed: boolean;
  /** Why it failed. */
  problem?: string;
  /** What the receiver answered, when it answered (the body's first 500 characters). */
  answer?: { status: number; body: string };
  duration_ms: number;
  checked_at: string;
}

export interface ConsoleApp {
  app_id: string;
  name: string;
  scopes: ConsoleAppScope[];
  event: ConsoleEventSettings;
  /** Only in the answer to create and to rotating the secret: shown once, never again. */
  app_secret?: string;
  /** Only when this save ran the url_verification handshake (it passed, or the save was refused). */
  verification?: ConsoleUrlVerification;
  created_at: string;
  updated_at: string;
}

/**
 * GET /api/v1/admin/apps?page_size=&page_token= → Page<ConsoleApp>;
 * POST /api/v1/admin/apps ConsoleAppInput → 201 ConsoleApp (with app_secret);
 * GET|PATCH (ConsoleAppPatch)|DELETE (204) /api/v1/admin/apps/:app_id;
 * POST /api/v1/admin/apps/:app_id/secret → ConsoleApp with the new app_secret (the old one stops).
 * A request URL that fails the challenge: 400 invalid_field on `event.request_url`, its description
 * saying what the receiver answered; nothing saved. Tenant admins only.
 */
export interface ConsoleAppInput {
  name: string;
  scopes?: ConsoleAppScope[];
  event?: Partial<Omit<ConsoleEventSettings, 'verification_token'>> & { verification_token?: string };
}
export type ConsoleAppPatch = Partial<ConsoleAppInput>;

/**
 * POST /api/v1/admin/apps/:app_id/event/check ConsoleUrlCheckRequest → ConsoleUrlVerification: the
 * handshake against the saved request URL (or the one given, with the token and key given); nothing
 * is saved, and a failure is an answer (`passed: false`), not an error.
 */
export interface ConsoleUrlCheckRequest {
  request_url?: string;
  verification_token?: string;
  encrypt_key?: string | null;
}

/**
 * `parked`: failed through the whole retry schedule (the store's status `failed`); nothing more happens
 * until someone re-sends it. `retrying`: pending after a failed attempt.
 */
export type ConsoleDeliveryState = 'pending' | 'retrying' | 'sending' | 'delivered' | 'parked';

export interface ConsoleDelivery {
  delivery_id: string;
  /** The envelope's event_id: the same on every attempt and re-send. */
  event_id: string;
  event_type: string;
  process_id: string;
  app: { app_id: string; name: string } | null;
  mode: ConsoleDeliveryMode;
  status: ConsoleDeliveryState;
  attempts: number;
  last_error: string | null;
  /** pending / retrying: when the next attempt is due. */
  next_attempt_at: string | null;
  created_at: string;
  delivered_at: string | null;
  /** The event body: only in GET /api/v1/admin/deliveries/:delivery_id. */
  event?: unknown;
}

/**
 * GET /api/v1/admin/deliveries?status=&event_type=&process_id=&app_id=&created_from=&created_to=
 * &page_size=&page_token= → Page<ConsoleDelivery> (newest first; `status` also accepts `failed` for
 * parked); GET /api/v1/admin/deliveries/:delivery_id → ConsoleDelivery with `event`;
 * POST …/:delivery_id/retry (pending, retrying or parked: due now; parked gets one more attempt) and
 * POST …/:delivery_id/resend (delivered or parked: again, same event_id, attempts from zero) →
 * ConsoleDelivery; another state: 409 `in_use`.
 */
export type ConsoleMetricsWindow = '1h' | '24h' | '7d';

/** GET /api/v1/admin/apps/:app_id/metrics?window=1h|24h|7d (default 24h): deliveries made in the window. */
export interface ConsoleDeliveryMetrics {
  window: ConsoleMetricsWindow;
  since: string;
  counts: Record<ConsoleDeliveryState, number>;
  total: number;
  /** delivered ÷ (delivered + parked); null when none settled yet. */
  success_rate: number | null;
  /** Attempts per settled delivery (delivered or parked). */
  mean_attempts: number | null;
  /** From the event's commit to its delivery, ms. */
  lag_p50_ms: number | null;
  lag_p99_ms: number | null;
}

// ---------------------------------------------------------------------------------------------
// Console: process monitoring (h-monitor)

/**
 * GET /api/v1/admin/processes → Page<MonitoredProcess>: processes of the admin's flows (every flow for a
 * tenant admin), newest first (`sort=newest`) or longest waiting first (`sort=waiting`: waiting ones
 * by their oldest open task, then the rest newest first). Query (all optional): `status` (repeatable),
 * `flow_id`, `initiator_user_id`, `department_id` (the initiator's department or one below it),
 * `current_node_id` (a node with an open task), `waiting_days` (an open task older than that),
 * `started_from` / `started_to` (dates or instants; a date `to` includes its day), `page_size` (1–100),
 * `page_token`. GET /api/v1/admin/processes.csv with the same query → the CSV export (at most 50,000 rows).
 */
export interface MonitoredProcess {
  process_id: string;
  flow: { flow_id: string; name: I18n; version: number };
  biz_type_name: I18n;
  initiator: PersonRef;
  status: ProcessStatus;
  /** Nodes with open tasks now, each with who holds them. */
  current_nodes: { node_id: string; name: I18n; assignees: PersonRef[] }[];
  started_at: string;
  updated_at: string;
  completed_at?: string;
  /** When its oldest open task was assigned; absent while nobody is asked. */
  waiting_since?: string;
}

/** GET /api/v1/admin/processes/filter-options → the admin's flows with the nodes that wait on people. */
export interface MonitorFilterOptions {
  flows: { flow_id: string; name: I18n; nodes: { node_id: string; name: I18n }[] }[];
}

/** One line of the audit trail: who did what, when, and for whom. */
export type AuditLine = Extract<TimelineEntry, { kind: 'action' }>;

/** A task as an admin sees it: where it is, and (while open) where it may be returned to. */
export interface AdminTask extends TaskView {
  node_id: string;
  node_name: I18n;
  /** in_progress tasks: earlier nodes of its path it may be returned to. */
  return_targets: { node_id: string; name: I18n }[];
}

/**
 * GET /api/v1/admin/processes/:process_id → AdminProcessDetail: the process as in ProcessDetail (form
 * values, timeline, upcoming, comments) without the viewer's own tasks, plus every task, the full
 * audit trail and what the admin may do now. 404 `process_not_found` for a process outside their flows.
 * Each action below answers the process as it now is (AdminProcessDetail).
 */
export interface AdminProcessDetail extends Omit<ProcessDetail, 'my_tasks' | 'can'> {
  tasks: AdminTask[];
  audit: AuditLine[];
  can: { reassign: boolean; return: boolean; withdraw: boolean; revoke: boolean };
}

/** POST /api/v1/admin/processes/:process_id/reassign — open tasks to another active person. */
export interface ReassignRequest {
  task_ids: string[];
  to_user_id: string;
  remark?: string;
}
/** POST /api/v1/admin/processes/:process_id/return — an open task's node back to an earlier node. */
export interface AdminReturnRequest {
  task_id: string;
  target_node_id: string;
  reason?: string;
}
/** POST …/withdraw (in progress) and …/revoke (completed), for the initiator; the reason is required. */
export interface OnBehalfRequest {
  reason: string;
}

// ---------------------------------------------------------------------------------------------
// Console: choices for pickers (h-polish)

/**
 * GET /api/v1/admin/role-options → RoleOptions (any console role): the tenant's roles as choices for the
 * flow designer's role approver rule — key and name only, by key, at most 500 (`truncated` when there
 * are more). Members stay with the directory (tenant admins).
 */
export interface RoleOptions {
  items: RoleOption[];
  truncated: boolean;
}
export interface RoleOption {
  role_key: string;
  name: I18n;
}

// ---------------------------------------------------------------------------------------------
// Leave balances (h-leave, docs/leave.md). Days are numbers with at most two decimal places.

export type LeaveOverBalance = 'refuse' | 'warn';
export type LeaveEntryKind = 'grant' | 'accrual' | 'debit' | 'credit' | 'adjustment';

/** A tenant's kind of leave; `key` is the value leave forms' `leave_type` enum carries. */
export interface LeaveTypeView {
  key: string;
  name: I18n;
  /** Over the available balance at start: refuse the request, or let it start with a warning. */
  over_balance: LeaveOverBalance;
  active: boolean;
  created_at: string;
  updated_at: string;
}

/** One person's standing in one leave type: available = balance − pending. */
export interface LeaveBalanceView {
  leave_type: { key: string; name: I18n; over_balance: LeaveOverBalance };
  balance: number;
  /** Days of their requests not yet debited: in progress, or approved with the debit still to run. */
  pending: number;
  available: number;
}

/** GET /api/v1/leave/balances → MyLeaveBalances: the signed-in person's, in every active type. */
export interface MyLeaveBalances {
  items: LeaveBalanceView[];
}

/** One line of the ledger; `amount` is signed (a debit is negative). */
export interface LeaveEntryView {
  entry_id: string;
  leave_type: string;
  kind: LeaveEntryKind;
  amount: number;
  reason: string;
  process_id?: string;
  /** The admin who wrote it; absent for the system's debits and credits. */
  created_by?: PersonRef;
  created_at: string;
}

/** GET /api/v1/admin/leave/balances → Page<ConsoleLeaveBalances>: one row per person. */
export interface ConsoleLeaveBalances {
  person: PersonRef;
  balances: LeaveBalanceView[];
}

/** POST /api/v1/admin/leave/entries: the same entry for each person named (at most 500). */
export interface LeaveEntryRequest {
  leave_type: string;
  kind: 'grant' | 'accrual' | 'adjustment';
  amount: number;
  reason: string;
  user_ids: string[];
  request_key?: string;
}
export interface LeaveEntriesWritten {
  items: (LeaveEntryView & { person: PersonRef })[];
  created: number;
}

/** GET /api/v1/admin/leave/ledger/:user_id → one person's balances and ledger page, newest first. */
export interface ConsoleLeaveLedger {
  person: PersonRef;
  balances: LeaveBalanceView[];
  entries: Page<LeaveEntryView>;
}

// Out-of-office delegation (docs/people-api.md#out-of-office-delegation)

/** GET /api/v1/me/delegations?page_size=&page_token= → Page<DelegationView>, newest first. */
/** POST /api/v1/me/delegations (DelegationCreate) → 201 DelegationCreated. */
/** POST /api/v1/me/delegations/:delegation_id/cancel → DelegationCancelled. */

export type DelegationStatus = 'scheduled' | 'active' | 'ended' | 'cancelled';

export interface DelegationView {
  delegation_id: string;
  delegate: PersonRef;
  /** ISO 8601 UTC; the range is [start_time, end_time). */
  start_time: string;
  end_time: string;
  status: DelegationStatus;
  created_at: string;
  cancelled_at?: string;
  /** My open tasks are handed over when the range starts (at once if it had). */
  include_existing: boolean;
  /** The tasks still held for me go back to me when it ends or is cancelled. */
  return_on_end: boolean;
}

export interface DelegationCreate {
  delegate_user_id: string;
  /** ISO 8601 date-times with a zone. */
  start_time: string;
  end_time: string;
  /** Hand my open tasks to the delegate: now if the range has started, else when it starts. */
  include_existing?: boolean;
  /** Give me back the tasks still held for me when it ends or is cancelled (default true). */
  return_on_end?: boolean;
}

export interface DelegationCreated extends DelegationView {
  /** include_existing in a started range: open tasks handed to the delegate now, and those that could not be. */
  transferred_tasks: number;
  not_transferred_tasks: number;
}

export interface DelegationCancelled extends DelegationView {
  /** return_on_end: tasks given back to me now, and those that stayed with the delegate (0 on a repeat cancel). */
  returned_tasks: number;
  not_returned_tasks: number;
}

/** The directory profile fields (docs/admin-api.md "Employee profile"); null = empty. */
export interface EmployeeProfileFields {
  job_title: string | null;
  phone: string | null;
  personal_email: string | null;
  address: string | null;
  emergency_contact_name: string | null;
  emergency_contact_phone: string | null;
  /** Sensitive: `****1234` unless revealed. */
  bank_account: string | null;
  /** Sensitive: `****1234` unless revealed. */
  id_number: string | null;
  probation_status: 'on_probation' | 'regular' | null;
  /** YYYY-MM-DD. */
  probation_end_date: string | null;
  /** YYYY-MM-DD: the last working day, once employment ends. */
  last_day: string | null;
}

/** GET /api/v1/me/profile[?reveal=sensitive] → the signed-in person's own profile. */
export interface MyProfile extends EmployeeProfileFields {
  user_id: string;
  employment_status: EmploymentStatus;
}

// Notifications (docs/notifications.md)

export type NotificationKind =
  | 'task_assigned'
  | 'reminder'
  | 'urged'
  | 'escalated'
  | 'transferred_to_you'
  | 'added_to_sign'
  | 'returned_to_you'
  | 'mentioned'
  | 'cc'
  | 'request_approved'
  | 'request_rejected'
  | 'request_completed'
  | 'action_failed';
export type NotificationChannel = 'in_app' | 'email' | 'chat';

/** `event: notification` on `GET /api/v1/events`: a new in-app notification of the person (refetch the bell). */
export interface LiveNotification {
  process_id: string;
}

/** GET /api/v1/notifications?unread=true&page_size=&page_token= → Page<NotificationItem>, newest first. */
export interface NotificationItem {
  notification_id: string;
  kind: NotificationKind;
  process_id: string;
  task_id?: string;
  /** Who caused it; absent when the system did (a timer). */
  actor?: PersonRef;
  initiator?: PersonRef;
  /** The flow's name (absent when the process is gone). */
  flow?: I18n;
  created_at: string;
  read: boolean;
}

/** GET /api/v1/notifications/unread-count */
export interface UnreadCount {
  unread: number;
}

/** GET / PUT /api/v1/me/notification-preferences (PUT: every part optional; channels per kind partial). */
export interface NotificationPreferencesBody {
  channels: Record<NotificationKind, Record<NotificationChannel, boolean>>;
  digest: { daily: boolean; hour: number; time_zone: string };
  chat_webhook: { url: string; type: 'feishu' | 'generic' } | null;
  /** Read-only: whether the tenant has an SMTP server (without one no email is sent). */
  email_available: boolean;
}
export interface NotificationPreferencesUpdate {
  channels?: Partial<Record<NotificationKind, Partial<Record<NotificationChannel, boolean>>>>;
  digest?: Partial<NotificationPreferencesBody['digest']>;
  chat_webhook?: NotificationPreferencesBody['chat_webhook'];
}

// ---------------------------------------------------------------------------------------------
// Console: the tenant's SMTP server (tenant admins; docs/notifications.md, docs/console-api.md)

/** The saved settings as shown: the password never leaves the server, only whether one is set. */
export interface ConsoleSmtp {
  tenant_key: string;
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  username: string | null;
  /** `"********"` when a password is set, null when none. */
  password: string | null;
  from_address: string;
  /** Unix milliseconds as a string. */
  updated_at: string;
}

/** GET / PUT / DELETE /api/v1/admin/smtp → `{smtp}`: null while none are set (no emails are sent). */
export interface ConsoleSmtpView {
  smtp: ConsoleSmtp | null;
}

/**
 * PUT /api/v1/admin/smtp. `password`: left out keeps the saved one (while a username is given), null
 * removes it; a password needs a username. 400 `invalid_field` names `host`, `port`, `from_address` …
 */
export interface ConsoleSmtpUpdate {
  host: string;
  port: number;
  secure?: boolean;
  username?: string | null;
  password?: string | null;
  from_address: string;
}

/**
 * POST /api/v1/admin/smtp/test → `{sent: true}` once the server accepted the mail; 400 `invalid_field`
 * naming `to`, or `smtp` with the server's answer; 404 `not_found` while no settings are saved.
 */
export interface ConsoleSmtpTest {
  to: string;
  /** The test mail's language; the request's language when left out. */
  language?: Language;
}
