import { useId, useMemo, useState } from 'react';
import { Alert, Button, Empty, Select, Space, Switch, Table, Tag } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { FlowFormField, FlowNode, FlowVersionSummary } from '@contract';
import { describeError } from '../../../lib/errors';
import { diffFlows, type DiffRow, type DiffStatus } from '../../../lib/flowDiff';
import { formatDateTime } from '../../../lib/format';
import { localized } from '../../../lib/language';
import type { DraftEditor } from './draftEditor';
import { exportUrl, useFlowVersion, useFlowVersions } from './queries';

/** A side of the comparison: a published version, or the draft being edited. */
type Side = number | 'draft';

/** Tag classes with AA-contrast text (antd's preset colours are too light on their backgrounds). */
const STATUS_CLASS: Record<DiffStatus, string> = {
  added: 'pf-flow-tag-ok',
  removed: 'pf-flow-tag-error',
  changed: 'pf-flow-tag-draft',
  same: '',
};

/** Versions with a side-by-side diff of two of them (form fields and nodes), and export (owner: h-flows). */
export default function VersionsPanel({ editor }: { editor: DraftEditor }) {
  const { t, i18n } = useTranslation('consoleFlows');
  const id = useId();
  const versions = useFlowVersions(editor.flowId);
  const items = versions.data?.items ?? [];
  const latest = items[0]?.version;
  const [chosenLeft, setLeft] = useState<Side | undefined>(undefined);
  const [chosenRight, setRight] = useState<Side | undefined>(undefined);
  // Default comparison: the version before the latest → the latest; with one version, it → the draft.
  const left: Side | undefined = chosenLeft ?? items[1]?.version ?? latest;
  const right: Side | undefined = chosenRight ?? (items.length > 1 ? latest : 'draft');

  const options = [
    { value: 'draft', label: t('versions.draft') },
    ...items.map((v) => ({ value: String(v.version), label: t('list.version', { version: v.version }) })),
  ];
  const toSide = (value: string): Side => (value === 'draft' ? 'draft' : Number(value));

  const columns = [
    {
      title: t('versions.version'),
      dataIndex: 'version',
      key: 'version',
      render: (version: number) => t('list.version', { version }),
    },
    {
      title: t('versions.publishedAt'),
      dataIndex: 'published_at',
      key: 'published_at',
      render: (at: string) => formatDateTime(at, i18n.language),
    },
    {
      title: t('versions.publishedBy'),
      key: 'published_by',
      render: (_: unknown, v: FlowVersionSummary) =>
        v.published_by ? localized(v.published_by.name, i18n.language) : t('versions.byApi'),
    },
    {
      title: t('versions.actions'),
      key: 'actions',
      render: (_: unknown, v: FlowVersionSummary) => (
        <Button
          size="small"
          icon={<DownloadOutlined aria-hidden />}
          href={exportUrl(editor.flowId, v.version)}
          aria-label={t('versions.exportVersion', { version: v.version })}
        >
          {t('versions.export')}
        </Button>
      ),
    },
  ];

  return (
    <section className="pf-flow-versions" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="pf-flow-section-title">
        {t('versions.title')}
      </h2>
      {versions.isError && <Alert type="error" showIcon title={describeError(t, versions.error)} />}
      {versions.isSuccess && items.length === 0 ? (
        <Empty description={t('versions.none')} />
      ) : (
        <Table
          size="small"
          rowKey="version"
          loading={versions.isPending}
          columns={columns}
          dataSource={items}
          pagination={false}
          scroll={{ x: true }}
        />
      )}
      {items.length > 0 && left !== undefined && right !== undefined && (
        <>
          <h2 className="pf-flow-section-title">{t('versions.compare')}</h2>
          <Space wrap className="pf-flow-compare-pick">
            <label htmlFor={`${id}-left`}>{t('versions.from')}</label>
            <Select
              id={`${id}-left`}
              value={String(left)}
              options={options}
              onChange={(value: string) => {
                setLeft(toSide(value));
              }}
              style={{ minWidth: 140 }}
            />
            <label htmlFor={`${id}-right`}>{t('versions.to')}</label>
            <Select
              id={`${id}-right`}
              value={String(right)}
              options={options}
              onChange={(value: string) => {
                setRight(toSide(value));
              }}
              style={{ minWidth: 140 }}
            />
          </Space>
          <Comparison editor={editor} left={left} right={right} />
        </>
      )}
    </section>
  );
}

function useSide(editor: DraftEditor, side: Side) {
  const version = useFlowVersion(editor.flowId, side === 'draft' ? undefined : side);
  if (side === 'draft') return { document: editor.document, error: undefined, pending: false };
  return { document: version.data, error: version.error, pending: version.isPending };
}

function Comparison({ editor, left, right }: { editor: DraftEditor; left: Side; right: Side }) {
  const { t, i18n } = useTranslation('consoleFlows');
  const [onlyChanges, setOnlyChanges] = useState(true);
  const switchId = useId();
  const older = useSide(editor, left);
  const newer = useSide(editor, right);
  const diff = useMemo(
    () => (older.document && newer.document ? diffFlows(older.document, newer.document) : null),
    [older.document, newer.document],
  );
  const sideName = (side: Side) =>
    side === 'draft' ? t('versions.draft') : t('list.version', { version: side });
  if (older.error || newer.error)
    return <Alert type="error" showIcon title={describeError(t, older.error ?? newer.error)} />;
  if (!diff) return <p role="status">{t('versions.loading')}</p>;
  const keep = <T,>(rows: DiffRow<T>[]) => (onlyChanges ? rows.filter((r) => r.status !== 'same') : rows);
  const nothing = diff.counts.added + diff.counts.removed + diff.counts.changed === 0;

  return (
    <div className="pf-flow-diff" aria-live="polite">
      <p className="pf-flow-diff-summary">
        {nothing
          ? t('versions.identical', { from: sideName(left), to: sideName(right) })
          : t('versions.summary', { ...diff.counts, from: sideName(left), to: sideName(right) })}
      </p>
      <label className="pf-flow-enabled" htmlFor={switchId}>
        <Switch id={switchId} size="small" checked={onlyChanges} onChange={setOnlyChanges} />
        <span>{t('versions.onlyChanges')}</span>
      </label>
      <DiffTable
        caption={t('versions.general')}
        rows={keep(diff.general)}
        left={sideName(left)}
        right={sideName(right)}
        render={(value) => <GeneralValue value={value} />}
        label={(row) => t(`versions.generalKey.${row.key}`, { defaultValue: row.key })}
      />
      <DiffTable
        caption={t('versions.formFields')}
        rows={keep(diff.form)}
        left={sideName(left)}
        right={sideName(right)}
        render={(field: FlowFormField, changed) => <FieldCell field={field} changed={changed} />}
        label={(row) => localized((row.right ?? row.left)?.label, i18n.language) || row.key}
      />
      <DiffTable
        caption={t('versions.nodes')}
        rows={keep(diff.nodes)}
        left={sideName(left)}
        right={sideName(right)}
        render={(node: FlowNode, changed) => <NodeCell node={node} changed={changed} />}
        label={(row) => {
          const node = row.right ?? row.left;
          return (node && 'name' in node && node.name ? localized(node.name, i18n.language) : '') || row.key;
        }}
      />
    </div>
  );
}

function DiffTable<T>({
  caption,
  rows,
  left,
  right,
  render,
  label,
}: {
  caption: string;
  rows: DiffRow<T>[];
  left: string;
  right: string;
  render: (item: T, changed: string[]) => React.ReactNode;
  label: (row: DiffRow<T>) => string;
}) {
  const { t } = useTranslation('consoleFlows');
  return (
    <table className="pf-flow-diff-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('versions.item')}</th>
          <th scope="col">{left}</th>
          <th scope="col">{right}</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={3} className="pf-flow-diff-none">
              {t('versions.noChanges')}
            </td>
          </tr>
        ) : (
          rows.map((row) => (
            <tr key={row.key} className={`pf-flow-diff-${row.status}`}>
              <th scope="row">
                <span className="pf-flow-diff-key">{label(row)}</span>{' '}
                <Tag className={STATUS_CLASS[row.status]}>{t(`versions.status.${row.status}`)}</Tag>
              </th>
              <td>{row.left !== undefined ? render(row.left, row.changed) : '—'}</td>
              <td>{row.right !== undefined ? render(row.right, row.changed) : '—'}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

/** Properties as "key: value" lines; the changed ones marked. */
function Properties({ value, changed, skip }: { value: object; changed: string[]; skip: string[] }) {
  return (
    <dl className="pf-flow-diff-props">
      {Object.entries(value)
        .filter(([key]) => !skip.includes(key))
        .map(([key, v]) => (
          <div key={key} className={changed.includes(key) ? 'pf-flow-diff-changed' : undefined}>
            <dt>{key}</dt>
            <dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
          </div>
        ))}
    </dl>
  );
}

/** A name in both languages, a list of people, or settings as lines. */
function GeneralValue({ value }: { value: unknown }) {
  if (Array.isArray(value)) return <span>{value.join(', ')}</span>;
  if (value && typeof value === 'object') {
    if ('zh_cn' in value && 'en_us' in value) {
      const name = value as { zh_cn: string; en_us: string };
      return (
        <span className="pf-flow-diff-name">
          <span lang="zh-CN">{name.zh_cn}</span>
          <span lang="en">{name.en_us}</span>
        </span>
      );
    }
    return <Properties value={value} changed={[]} skip={[]} />;
  }
  if (value === undefined || value === null) return <span>—</span>;
  return <span>{typeof value === 'string' ? value : JSON.stringify(value)}</span>;
}

function FieldCell({ field, changed }: { field: FlowFormField; changed: string[] }) {
  return <Properties value={field} changed={changed} skip={[]} />;
}

function NodeCell({ node, changed }: { node: FlowNode; changed: string[] }) {
  return <Properties value={node} changed={changed} skip={['id']} />;
}
