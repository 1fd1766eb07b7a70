import { useState } from 'react';
import { Button, Form, Input, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ConsoleEmployee, ConsoleEmployeePatch } from '@contract';
import { useRevealEmployee } from './queries';

/** The profile fields the editor edits as plain inputs ('' clears). */
export const PROFILE_TEXT_FIELDS = [
  'job_title',
  'phone',
  'personal_email',
  'address',
  'emergency_contact_name',
  'emergency_contact_phone',
  'probation_end_date',
  'last_day',
] as const;
/** Sensitive: shown masked; an input left empty keeps the stored value. */
export const PROFILE_SENSITIVE_FIELDS = ['bank_account', 'id_number'] as const;
export const PROFILE_FIELD_NAMES = [
  ...PROFILE_TEXT_FIELDS,
  ...PROFILE_SENSITIVE_FIELDS,
  'probation_status',
] as const;

export type ProfileFormValues = Partial<
  Record<(typeof PROFILE_TEXT_FIELDS)[number] | (typeof PROFILE_SENSITIVE_FIELDS)[number], string>
> & { probation_status?: 'on_probation' | 'regular' | '' };

/** The form's values for an employee being edited (sensitive inputs start empty). */
export function profileFormValues(employee: ConsoleEmployee): ProfileFormValues {
  const values: ProfileFormValues = { probation_status: employee.probation_status ?? '' };
  for (const field of PROFILE_TEXT_FIELDS) values[field] = employee[field] ?? '';
  return values;
}

/** What to send: every plain field (empty = cleared); sensitive ones only when typed in. */
export function profilePatch(values: ProfileFormValues): ConsoleEmployeePatch {
  const patch: ConsoleEmployeePatch = {};
  for (const field of PROFILE_TEXT_FIELDS) {
    const value = values[field]?.trim() ?? '';
    patch[field] = value === '' ? null : value;
  }
  patch.probation_status = values.probation_status ? values.probation_status : null;
  for (const field of PROFILE_SENSITIVE_FIELDS) {
    const value = values[field]?.trim() ?? '';
    if (value !== '') patch[field] = value;
  }
  return patch;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The profile part of the employee editor: contact details, job, probation, sensitive fields. */
export function EmployeeProfileFields({ employee }: { employee: ConsoleEmployee | null }) {
  const { t } = useTranslation('consoleDirectory');
  const [revealed, setRevealed] = useState(false);
  const reveal = useRevealEmployee(employee?.user_id, revealed);
  const shown = (field: (typeof PROFILE_SENSITIVE_FIELDS)[number]) =>
    revealed && reveal.data ? reveal.data[field] : employee?.[field];
  const dateRule = { pattern: DATE, message: t('profile.dateInvalid') };
  return (
    <>
      <Typography.Title level={5}>{t('profile.title')}</Typography.Title>
      <Form.Item name="job_title" label={t('profile.job_title')}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="phone" label={t('profile.phone')}>
        <Input maxLength={32} inputMode="tel" autoComplete="off" />
      </Form.Item>
      <Form.Item
        name="personal_email"
        label={t('profile.personal_email')}
        rules={[{ type: 'email', message: t('employees.emailInvalid') }]}
      >
        <Input type="email" maxLength={254} autoComplete="off" />
      </Form.Item>
      <Form.Item name="address" label={t('profile.address')}>
        <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 4 }} />
      </Form.Item>
      <Form.Item name="emergency_contact_name" label={t('profile.emergency_contact_name')}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="emergency_contact_phone" label={t('profile.emergency_contact_phone')}>
        <Input maxLength={32} inputMode="tel" autoComplete="off" />
      </Form.Item>
      <Form.Item name="probation_status" label={t('profile.probation_status')}>
        <Select
          aria-label={t('profile.probation_status')}
          options={[
            { value: '', label: t('profile.probation_none') },
            { value: 'on_probation', label: t('profile.probation_on_probation') },
            { value: 'regular', label: t('profile.probation_regular') },
          ]}
        />
      </Form.Item>
      <Form.Item name="probation_end_date" label={t('profile.probation_end_date')} rules={[dateRule]}>
        <Input placeholder="YYYY-MM-DD" maxLength={10} />
      </Form.Item>
      <Form.Item name="last_day" label={t('profile.last_day')} rules={[dateRule]}>
        <Input placeholder="YYYY-MM-DD" maxLength={10} />
      </Form.Item>
      {PROFILE_SENSITIVE_FIELDS.map((field) => (
        <Form.Item
          key={field}
          name={field}
          label={t(`profile.${field}`)}
          extra={
            shown(field)
              ? t('profile.current', { value: shown(field) })
              : employee
                ? t('profile.none')
                : undefined
          }
        >
          <Input maxLength={64} autoComplete="off" placeholder={t('profile.sensitiveHint')} />
        </Form.Item>
      ))}
      {employee && (employee.bank_account || employee.id_number) && !revealed && (
        <Button
          onClick={() => {
            setRevealed(true);
          }}
          loading={reveal.isFetching}
        >
          {t('profile.reveal')}
        </Button>
      )}
    </>
  );
}
