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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A form value for reading (detail and print): people, departments and files by name, dates and numbers per locale. */
export function ReadOnlyValue({ field, value, resolved }: { field: FormField; value: unknown; resolved: Resolved }) {
  const { t, i18n } = useTranslation('process');
  const lang = i18n.language;
  const none = <Typography.Text type="secondary">—</Typography.Text>;
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return none;
  switch (field.type) {
    case 'text':
      return <span style={{ whiteSpace: 'pre-wrap' }}>{String(value as string)}</span>;
    case 'number': {
      const n = Number(value);
      return <span>{Number.isFinite(n) ? formatNumber(n, lang) : String(value as string)}</span>;
    }
    case 'bool':
      return <span>{value === true ? t('value.yes') : t('value.no')}</span>;
    case 'enum': {
      const option = field.options?.find((o) => o.value === value);
      return <span>{option ? localized(option.label, lang) : String(value as string)}</span>;
    }
    case 'date':
      return <span>{formatDate(String(value as string), lang)}</span>;
    case 'date_time': {
      const text = String(value as string);
      return <span>{formatDateTime(/^\d+$/.test(text) ? new Date(Number(text)).toISOString() : text, lang)}</span>;
    }
    case 'i18n':
      return isObject(value) ? <span>{localized({ zh_cn: String(value.zh_cn ?? ''), en_us: String(value.en_us ?? '') }, lang)}</span> : none;
    case 'user':
    case 'employment': {
      const person = resolved.people[String(value as string)];
      return <span>{person ? localized(person.name, lang) : String(value as string)}</span>;
    }
    case 'department': {
      const dept = resolved.departments[String(value as string)];
      return <span>{dept ? localized(dept.name, lang) : String(value as string)}</span>;
    }
    case 'list':
      return (
        <Space size={[4, 4]} wrap>
          {(value as unknown[]).map((item, i) => (
            <Tag key={i}>{String(item)}</Tag>
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
          {typeof file.size === 'number' && <Typography.Text type="secondary">{formatFileSize(file.size, lang)}</Typography.Text>}
        </Space>
      );
    }
    case 'object':
      return isObject(value) ? (
        <span>
          {String(value.wk_api_name ?? '')} #{String(value.wk_id ?? '')}
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
            render: (_: unknown, row: Record<string, unknown>) => <ReadOnlyValue field={sub} value={row[sub.api_name]} resolved={resolved} />,
          }))}
        />
      );
    }
  }
}
