import { isValidDate } from '../engine/form.js';
import type { SecretBox } from '../platform/secrets.js';
import type { ProfileColumn, StoredProfile } from '../store/employee.repository.js';
import type { FieldViolation } from './result.js';

/**
 * The directory profile of an employee (docs/admin-api.md "Employee profile"): contact details, job
 * title, probation and last day. `bank_account` and `id_number` are sensitive: sealed at rest with the
 * SecretBox and masked (`****1234`) in every response unless the reader may see them and asks.
 *
 * Probation is its own field, not an employment status: someone on probation is `active` (signs in,
 * approves, receives tasks) like everyone else; only `probation_status` says they are not regular yet.
 */

export const PROBATION_STATUSES = ['on_probation', 'regular'] as const;
export type ProbationStatus = (typeof PROBATION_STATUSES)[number];

export type ProfileField = ProfileColumn;

type FieldKind = 'text' | 'multiline' | 'phone' | 'email' | 'date' | 'probation' | 'account' | 'id_number';

interface FieldRule {
  kind: FieldKind;
  maxLength: number;
  sensitive?: boolean;
}

/** Every profile field, in display order, with how it is checked. */
export const PROFILE_FIELD_RULES: Readonly<Record<ProfileField, FieldRule>> = {
  job_title: { kind: 'text', maxLength: 100 },
  phone: { kind: 'phone', maxLength: 32 },
  personal_email: { kind: 'email', maxLength: 254 },
  address: { kind: 'multiline', maxLength: 500 },
  emergency_contact_name: { kind: 'text', maxLength: 100 },
  emergency_contact_phone: { kind: 'phone', maxLength: 32 },
  bank_account: { kind: 'account', maxLength: 64, sensitive: true },
  id_number: { kind: 'id_number', maxLength: 32, sensitive: true },
  probation_status: { kind: 'probation', maxLength: 16 },
  probation_end_date: { kind: 'date', maxLength: 10 },
  last_day: { kind: 'date', maxLength: 10 },
};

export const PROFILE_FIELDS = Object.keys(PROFILE_FIELD_RULES) as ProfileField[];
export const SENSITIVE_FIELDS: readonly ProfileField[] = PROFILE_FIELDS.filter(
  (f) => PROFILE_FIELD_RULES[f].sensitive,
);
/** What a person may change about themself through person_info_change (HR owns the rest). */
export const PERSONAL_FIELDS: readonly ProfileField[] = [
  'phone',
  'personal_email',
  'address',
  'emergency_contact_name',
  'emergency_contact_phone',
  'bank_account',
  'id_number',
];

export const isProfileField = (name: string): name is ProfileField =>
  Object.prototype.hasOwnProperty.call(PROFILE_FIELD_RULES, name);
export const isSensitiveField = (name: string): boolean =>
  isProfileField(name) && PROFILE_FIELD_RULES[name].sensitive === true;

/** A profile in plain text (sensitive values opened); null = empty. */
export type EmployeeProfile = Record<ProfileField, string | null>;
export type ProfilePatch = Partial<Record<ProfileField, string | null>>;

export const EMPTY_PROFILE: EmployeeProfile = Object.fromEntries(
  PROFILE_FIELDS.map((f) => [f, null]),
) as EmployeeProfile;

/** A C0 control character or DEL; tab and line breaks allowed when `multiline`. */
function hasControl(text: string, multiline: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (multiline && (code === 0x09 || code === 0x0a || code === 0x0d)) continue;
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const PHONE = /^\+?[0-9(][0-9 ()-]*[0-9]$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ACCOUNT = /^[A-Za-z0-9][A-Za-z0-9 -]*[A-Za-z0-9]$/;
const ID_NUMBER = /^[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]$/;

/** Why `value` cannot be stored in `field`, or undefined when it can. Null (clearing) is always fine. */
export function profileValueProblem(field: ProfileField, value: string | null): string | undefined {
  if (value === null) return undefined;
  const rule = PROFILE_FIELD_RULES[field];
  if (value.includes('\u0000')) return 'contains a NUL character (U+0000), which cannot be stored';
  if (LONE_SURROGATE.test(value)) return 'contains an unpaired UTF-16 surrogate, which is not valid Unicode';
  if (Array.from(value).length > rule.maxLength) return `must be at most ${rule.maxLength} characters`;
  if (hasControl(value, rule.kind === 'multiline')) return 'must not contain control characters';
  if (value.trim() !== value) return 'must not start or end with spaces';
  switch (rule.kind) {
    case 'phone': {
      const digits = value.replace(/\D/g, '').length;
      return PHONE.test(value) && digits >= 3 && digits <= 20
        ? undefined
        : 'must be a phone number: digits, spaces, ( ) and -, optionally starting with +';
    }
    case 'email':
      return EMAIL.test(value) ? undefined : 'must be an email address';
    case 'date':
      return isValidDate(value) ? undefined : 'must be a date written YYYY-MM-DD';
    case 'probation':
      return (PROBATION_STATUSES as readonly string[]).includes(value)
        ? undefined
        : `must be one of ${PROBATION_STATUSES.map((s) => JSON.stringify(s)).join(', ')} or null`;
    case 'account':
      return ACCOUNT.test(value) && value.length >= 4
        ? undefined
        : 'must be 4 to 64 letters, digits, spaces or -';
    case 'id_number':
      return ID_NUMBER.test(value) && value.length >= 4 ? undefined : 'must be 4 to 32 letters, digits or -';
    case 'text':
    case 'multiline':
      return undefined;
  }
}

/**
 * Checks every given field of a patch, adding one violation per bad field (named `prefix` + field).
 * An empty string clears the field (stored as null), as the console's emptied inputs send it.
 */
export function normalizeProfilePatch(
  input: Partial<Record<ProfileField, string | null | undefined>>,
  violations: FieldViolation[],
  prefix = '',
): ProfilePatch {
  const patch: ProfilePatch = {};
  for (const field of PROFILE_FIELDS) {
    const raw = input[field];
    if (raw === undefined) continue;
    const value = raw === '' ? null : raw;
    const problem = profileValueProblem(field, value);
    if (problem) violations.push({ field: `${prefix}${field}`, description: problem });
    else patch[field] = value;
  }
  return patch;
}

/** `****` and the last four characters (fewer for short values, so that at least half stays hidden). */
export function maskValue(value: string | null): string | null {
  if (value === null) return null;
  const compact = value.replace(/[\s-]/g, '');
  const shown = compact.length >= 8 ? 4 : Math.floor(compact.length / 2);
  return `****${compact.slice(compact.length - shown)}`;
}

/** The profile as shown to a reader: sensitive fields masked unless `reveal`. */
export function presentProfile(profile: EmployeeProfile, reveal: boolean): EmployeeProfile {
  if (reveal) return { ...profile };
  const out = { ...profile };
  for (const field of SENSITIVE_FIELDS) out[field] = maskValue(profile[field]);
  return out;
}

/** Stored → plain: sensitive columns opened. */
export function openProfile(secrets: SecretBox, stored: StoredProfile | undefined): EmployeeProfile {
  if (!stored) return { ...EMPTY_PROFILE };
  const out: EmployeeProfile = { ...stored };
  for (const field of SENSITIVE_FIELDS) {
    const sealed = stored[field];
    out[field] = sealed === null ? null : secrets.decrypt(sealed);
  }
  return out;
}

/** Plain → stored: sensitive values sealed (a fresh IV each time). */
export function sealProfilePatch(secrets: SecretBox, patch: ProfilePatch): Partial<StoredProfile> {
  const out: Partial<StoredProfile> = { ...patch };
  for (const field of SENSITIVE_FIELDS) {
    const value = patch[field];
    if (value !== undefined) out[field] = value === null ? null : secrets.encrypt(value);
  }
  return out;
}
