import { Space, Table, Tag, Typography } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { DepartmentRef, FileRef, FormField, PersonRef } from '@contract';
import { formatDate, formatDateTime, formatNumber } from '../../lib/format';
import { formatFileSize } from '../../lib/formValues';
import { localized } from '../../lib/language';
import { fileUrl } from './queries';

export interface Resolved {
  people: Record<string, PersonRef>;
  departments: Record<string, DepartmentRef>;
  files: Record<string, FileRef>;
}

/** A scalar value as text (values of unexpected shape are shown as JSON rather than "[object Object]"). */
function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v === undefined || v === null ? '' : JSON.stringify(v);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A form value for reading (detail and print): people, departments and files by name, dates and numbers per locale. */
export function ReadOnlyValue({
  field,
  value,
  resolved,
}: {
  field: FormField;
  value: unknown;
  resolved: Resolved;
}) {
  const { t, i18n } = useTranslation('process');
  const lang = i18n.language;
  const none = <Typography.Text type="secondary">—</Typography.Text>;
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0))
    return none;
  switch (field.type) {
    case 'text':
      return <span style={{ whiteSpace: 'pre-wrap' }}>{text(value)}</span>;
    case 'number': {
      const n = Number(value);
      return <span>{Number.isFinite(n) ? formatNumber(n, lang) : text(value)}</span>;
    }
    case 'bool':
      return <span>{value === true ? t('value.yes') : t('value.no')}</span>;
    case 'enum': {
      const option = field.options?.find((o) => o.value === value);
      return <span>{option ? localized(option.label, lang) : text(value)}</span>;
    }
    case 'date':
      return <span>{formatDate(text(value), lang)}</span>;
    case 'date_time': {
      const when = text(value);
      return (
        <span>{formatDateTime(/^\d+$/.test(when) ? new Date(Number(when)).toISOString() : when, lang)}</span>
      );
    }
    case 'i18n':
      return isObject(value) ? (
        <span>{localized({ zh_cn: text(value.zh_cn), en_us: text(value.en_us) }, lang)}</span>
      ) : (
        none
      );
    case 'user':
    case 'employment': {
      const person = resolved.people[text(value)];
      return <span>{person ? localized(person.name, lang) : text(value)}</span>;
    }
    case 'department': {
      const dept = resolved.departments[text(value)];
      return <span>{dept ? localized(dept.name, lang) : text(value)}</span>;
    }
    case 'list':
      return (
        <Space size={[4, 4]} wrap>
          {(value as unknown[]).map((item, i) => (
            <Tag key={i}>{text(item)}</Tag>
          ))}
        </Space>
      );
    case 'file': {
      if (!isObject(value) || typeof value.file_id !== 'string') return none;
      const file = resolved.files[value.file_id] ?? (value as unknown as FileRef);
      return (
        <Space size={4}>
          <PaperClipOutlined aria-hidden />
          <Typography.Link href={fileUrl(file.file_id)} target="_blank" rel="noopener">
            {file.name}
          </Typography.Link>
          {typeof file.size === 'number' && (
            <Typography.Text type="secondary">{formatFileSize(file.size, lang)}</Typography.Text>
          )}
        </Space>
      );
    }
    case 'object':
      return isObject(value) ? (
        <span>
          {text(value.wk_api_name)} #{text(value.wk_id)}
        </span>
      ) : (
        none
      );
    case 'record': {
      const rows = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
      const subs = field.sub_fields ?? [];
      return (
        <Table
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          rowKey={(_, i) => String(i)}
          dataSource={rows}
          columns={subs.map((sub) => ({
            key: sub.api_name,
            title: localized(sub.label, lang),
            render: (_: unknown, row: Record<string, unknown>) => (
              <ReadOnlyValue field={sub} value={row[sub.api_name]} resolved={resolved} />
            ),
          }))}
        />
      );
    }
  }
}
