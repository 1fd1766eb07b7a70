import { Button, DatePicker, Form, Input, InputNumber, Select, Space, Switch, Table, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormField, PersonRef } from '@contract';
import { fieldProblem } from '../../lib/formValues';
import { keepEnterInPicker } from '../../lib/dateRange';
import { localized } from '../../lib/language';
import { DepartmentPicker } from './DepartmentPicker';
import { FileUpload } from './FileUpload';
import { PersonPicker } from './PersonPicker';
import { useClearButton } from '../clearButton';

type Pair = Record<string, string>;

interface PairProps {
  id?: string;
  value?: Pair;
  onChange?: (value: Pair) => void;
  keys: [string, string];
  labels: [string, string];
  /** Visible short labels beside the inputs. */
  short: [string, string];
  disabled?: boolean;
  'aria-invalid'?: boolean | 'true' | 'false';
  'aria-describedby'?: string;
}

/** Two text inputs edited as one value: i18n {zh_cn, en_us} and object {wk_id, wk_api_name}. */
function PairInput({
  id,
  value,
  onChange,
  keys,
  labels,
  short,
  disabled,
  'aria-invalid': ariaInvalid,
  'aria-describedby': ariaDescribedBy,
}: PairProps) {
  const current = value ?? {};
  const set = (key: string, text: string) => {
    onChange?.({ [keys[0]]: current[keys[0]] ?? '', [keys[1]]: current[keys[1]] ?? '', [key]: text });
  };
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
      {([0, 1] as const).map((i) => (
        <Space.Compact block key={keys[i]}>
          <Space.Addon aria-hidden>{short[i]}</Space.Addon>
          <Input
            id={i === 0 ? id : undefined}
            aria-label={labels[i]}
            aria-invalid={ariaInvalid}
            aria-describedby={ariaDescribedBy}
            value={current[keys[i]] ?? ''}
            onChange={(e) => {
              set(keys[i], e.target.value);
            }}
            disabled={disabled}
          />
        </Space.Compact>
      ))}
    </div>
  );
}

interface ControlProps {
  field: FormField;
  /** The control's name for assistive technology when no visible label points at it (table cells). */
  ariaLabel?: string;
  /** The field's own label text (for composite controls' part labels). */
  fieldLabel: string;
  known?: Record<string, PersonRef>;
  disabled?: boolean;
  // Injected by Form.Item (the aria props tie the control to its error message):
  id?: string;
  value?: unknown;
  onChange?: (value: unknown) => void;
  'aria-invalid'?: boolean | 'true' | 'false';
  'aria-describedby'?: string;
}

/** The control for one (non-record) field type; Form.Item passes id, value and onChange. */
export function FieldControl({
  field,
  ariaLabel,
  fieldLabel,
  known,
  disabled,
  id,
  value,
  onChange,
  'aria-invalid': ariaInvalid,
  'aria-describedby': ariaDescribedBy,
}: ControlProps) {
  const { t, i18n } = useTranslation('request');
  const clear = useClearButton();
  const common = {
    id,
    'aria-label': ariaLabel,
    'aria-invalid': ariaInvalid,
    'aria-describedby': ariaDescribedBy,
    disabled,
  };
  switch (field.type) {
    case 'text':
      return (
        <Input
          {...common}
          value={value as string | undefined}
          onChange={(e) => onChange?.(e.target.value)}
          maxLength={10_000}
        />
      );
    case 'number':
      return (
        <InputNumber<string>
          {...common}
          stringMode
          value={value as string | undefined}
          onChange={(v) => onChange?.(v)}
          style={{ width: '100%', maxWidth: 240 }}
          inputMode="decimal"
        />
      );
    case 'bool':
      return <Switch {...common} checked={value === true} onChange={(v) => onChange?.(v)} />;
    case 'enum':
      return (
        <Select
          {...common}
          allowClear={clear}
          value={value as string | undefined}
          onChange={(v) => onChange?.(v)}
          options={(field.options ?? []).map((o) => ({
            value: o.value,
            label: localized(o.label, i18n.language),
          }))}
          placeholder={t('picker.choose')}
          style={{ width: '100%' }}
        />
      );
    case 'date':
      return (
        <DatePicker
          {...common}
          value={value as never}
          onChange={(v) => onChange?.(v)}
          onKeyDown={keepEnterInPicker}
          style={{ width: '100%', maxWidth: 240 }}
        />
      );
    case 'date_time':
      return (
        <DatePicker
          {...common}
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          value={value as never}
          onChange={(v) => onChange?.(v)}
          onKeyDown={keepEnterInPicker}
          style={{ width: '100%', maxWidth: 280 }}
        />
      );
    case 'i18n':
      return (
        <PairInput
          {...common}
          keys={['zh_cn', 'en_us']}
          labels={[t('field.i18n_zh', { label: fieldLabel }), t('field.i18n_en', { label: fieldLabel })]}
          short={[t('field.zh_short'), t('field.en_short')]}
          value={value as Pair | undefined}
          onChange={onChange}
        />
      );
    case 'object':
      return (
        <PairInput
          {...common}
          keys={['wk_id', 'wk_api_name']}
          labels={[
            t('field.object_id', { label: fieldLabel }),
            t('field.object_api_name', { label: fieldLabel }),
          ]}
          short={[t('field.id_short'), t('field.api_name_short')]}
          value={value as Pair | undefined}
          onChange={onChange}
        />
      );
    case 'user':
    case 'employment':
      return (
        <PersonPicker
          {...common}
          known={known}
          value={value as string | undefined}
          onChange={(v) => onChange?.(v)}
        />
      );
    case 'department':
      return (
        <DepartmentPicker {...common} value={value as string | undefined} onChange={(v) => onChange?.(v)} />
      );
    case 'list':
      return (
        <Select
          {...common}
          mode="tags"
          value={value as string[] | undefined}
          onChange={(v: string[]) => onChange?.(v)}
          tokenSeparators={[',', '，']}
          open={false}
          suffix={null}
          placeholder={t('field.list_placeholder')}
          style={{ width: '100%' }}
        />
      );
    case 'file':
      return (
        <FileUpload
          id={id}
          disabled={disabled}
          buttonLabel={t('upload.button_label', { label: ariaLabel ?? fieldLabel })}
          value={value as never}
          onChange={(v) => onChange?.(v)}
        />
      );
    case 'record':
      return <Typography.Text type="secondary">{t('field.nested_record')}</Typography.Text>;
  }
}

type Translate = (key: string) => string;

/** antd rules for a field from the shared client checks (lib/formValues), messages in the person's language. */
export function rulesFor(field: FormField, required: boolean, t: Translate) {
  return [
    {
      required,
      validator: (_: unknown, value: unknown) => {
        const code = fieldProblem(field, value, required);
        return code ? Promise.reject(new Error(t(`validation.${code}`))) : Promise.resolve();
      },
    },
  ];
}

interface ItemProps {
  field: FormField;
  /** Required here (the form's own flag, or the node's required_fields on the detail page). */
  required?: boolean;
  known?: Record<string, PersonRef>;
  disabled?: boolean;
  /** A calculated field's value from the live preview, as text (else "calculated on submit"). */
  calculatedText?: string | undefined;
}

/** The field's help text, shown under it; undefined when there is none (no empty line). */
function fieldExtra(field: FormField, language: string): ReactNode {
  const help = field.help_text ? localized(field.help_text, language).trim() : '';
  return help ? <div className="pf-field-help">{help}</div> : undefined;
}

/** One labelled form item; records become an editable table with add/remove rows. */
export function FieldItem({ field, required, known, disabled, calculatedText }: ItemProps) {
  const { t, i18n } = useTranslation('request');
  const label = localized(field.label, i18n.language);
  // A conditional field is required only while its condition holds, which the server judges on submit
  // (and places its answer on the field); the browser must not demand it when it may be hidden.
  const isRequired = (required ?? field.required) && !field.shown_when && !field.calculated;
  const extra = fieldExtra(field, i18n.language);
  if (field.calculated) {
    // The server computes it on submit and ignores anything typed, so nothing is offered to edit.
    const inputId = `calculated-${field.api_name}`;
    return (
      <Form.Item label={label} htmlFor={inputId} extra={extra}>
        <Input
          id={inputId}
          readOnly
          variant="filled"
          value={calculatedText ?? ''}
          placeholder={t('field.calculated_on_submit')}
          style={{ maxWidth: 240 }}
        />
      </Form.Item>
    );
  }
  if (field.type === 'record')
    return <RecordItem field={field} label={label} required={isRequired} known={known} disabled={disabled} />;
  return (
    <Form.Item
      name={field.api_name}
      label={label}
      required={isRequired && field.type !== 'bool'}
      rules={rulesFor(field, isRequired, t)}
      validateTrigger={['onBlur', 'onSubmit']}
      extra={extra}
    >
      <FieldControl field={field} fieldLabel={label} known={known} disabled={disabled} />
    </Form.Item>
  );
}

function RecordItem({
  field,
  label,
  required,
  known,
  disabled,
}: {
  field: FormField;
  label: string;
  required: boolean;
  known?: Record<string, PersonRef>;
  disabled?: boolean;
}) {
  const { t, i18n } = useTranslation('request');
  const subs = field.sub_fields ?? [];
  const headingId = `record-${field.api_name}-label`;
  return (
    <Form.List
      name={field.api_name}
      rules={[
        {
          validator: (_: unknown, rows: unknown) =>
            required && (!Array.isArray(rows) || rows.length === 0)
              ? Promise.reject(new Error(t('validation.rows_required')))
              : Promise.resolve(),
        },
      ]}
    >
      {(rows, { add, remove }, { errors }) => (
        <div className="pf-record" role="group" aria-labelledby={headingId} style={{ marginBottom: 24 }}>
          <div id={headingId} className="pf-record-label" style={{ marginBottom: 8 }}>
            {required && (
              <span aria-hidden style={{ color: '#ff4d4f', marginInlineEnd: 4 }}>
                *
              </span>
            )}
            {label}
          </div>
          <Table
            size="small"
            pagination={false}
            scroll={{ x: 'max-content' }}
            rowKey="key"
            dataSource={rows}
            locale={{ emptyText: t('record.no_rows') }}
            columns={[
              ...subs.map((sub) => {
                const subLabel = localized(sub.label, i18n.language);
                return {
                  key: sub.api_name,
                  title: subLabel,
                  render: (_: unknown, row: (typeof rows)[number], index: number) => (
                    <Form.Item
                      name={[row.name, sub.api_name]}
                      rules={rulesFor(sub, sub.required, t)}
                      validateTrigger={['onBlur', 'onSubmit']}
                      style={{ margin: 0, minWidth: sub.type === 'text' ? 160 : 120 }}
                    >
                      <FieldControl
                        field={sub}
                        fieldLabel={subLabel}
                        ariaLabel={t('record.cell_label', { column: subLabel, row: index + 1 })}
                        known={known}
                        disabled={disabled}
                      />
                    </Form.Item>
                  ),
                };
              }),
              {
                key: '__remove',
                title: <span className="pf-visually-hidden">{t('record.actions')}</span>,
                width: 48,
                render: (_: unknown, row: (typeof rows)[number], index: number) => (
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    disabled={disabled}
                    aria-label={t('record.remove_row', { row: index + 1 })}
                    onClick={() => {
                      remove(row.name);
                    }}
                  />
                ),
              },
            ]}
          />
          <Button
            type="dashed"
            icon={<PlusOutlined />}
            onClick={() => {
              add({});
            }}
            disabled={disabled}
            style={{ marginTop: 8 }}
            aria-label={t('record.add_row_named', { label })}
          >
            {t('record.add_row')}
          </Button>
          <Form.ErrorList errors={errors} />
        </div>
      )}
    </Form.List>
  );
}
