import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Alert, Button, Card, Empty, Form, Radio, Space, Switch, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, PlayCircleOutlined, WarningOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type {
  I18n,
  SimulationDepartment,
  SimulationNode,
  SimulationRequest,
  SimulationRow,
  SimulationRowNode,
} from '@contract';
import { DepartmentPicker } from '../../../components/form/DepartmentPicker';
import { FieldItem } from '../../../components/form/FieldControls';
import { describeError } from '../../../lib/errors';
import { valuesFromState, type FormState } from '../../../lib/formValues';
import { localized } from '../../../lib/language';
import { asRequestField, routingFields } from '../../../lib/simulationFields';
import { Pager } from '../../inbox/Pager';
import type { DraftEditor } from '../flows/draftEditor';
import { downloadSimulationCsv, useSimulation } from './queries';
import './simulation.css';

const PAGE_SIZE = 20;
/** Nodes where people act or are copied: the ones a row's path shows. */
const ACTING = new Set(['approval', 'form_fill', 'cc']);

/**
 * Organisation simulation of the document being edited: every employee (or a department's) as the
 * initiator, with the values the branch conditions read — who approves at each node, where the
 * empty-approver fallback fires and why, who would approve their own request, the longest chains.
 */
export default function SimulationPanel({ editor }: { editor: DraftEditor }) {
  const { t, i18n } = useTranslation(['consoleSim', 'errors']);
  const language = i18n.language;
  const [form] = Form.useForm<FormState & { __scope: 'tenant' | 'department'; __department?: string }>();
  // Undefined until the form mounts.
  const scope = (Form.useWatch('__scope', form) as 'tenant' | 'department' | undefined) ?? 'tenant';
  const fields = useMemo(() => routingFields(editor.document).map(asRequestField), [editor.document]);
  const [run, setRun] = useState<SimulationRequest | null>(null);
  const [onlyProblems, setOnlyProblems] = useState(true);
  const [page, setPage] = useState(1);
  const [tokens, setTokens] = useState<string[]>([]);
  const [csvError, setCsvError] = useState<unknown>(null);
  const [downloading, setDownloading] = useState(false);

  const request = run && {
    ...run,
    only_problems: onlyProblems,
    page_size: PAGE_SIZE,
    ...(page > 1 && tokens[page - 2] ? { page_token: tokens[page - 2] } : {}),
  };
  const simulation = useSimulation(editor.flowId, request);
  const data = simulation.data;
  const nextToken = data?.page_token;
  useEffect(() => {
    if (nextToken && tokens[page - 1] !== nextToken)
      setTokens((list) => [...list.slice(0, page - 1), nextToken]);
  }, [nextToken, page, tokens]);

  const names = useMemo(() => new Map(editor.document.nodes.map((n) => [n.id, n.name])), [editor.document]);
  const nodeName = (id: string) => {
    const name: I18n | undefined = names.get(id);
    return name ? localized(name, language) : id;
  };

  const start = async () => {
    const values = await form.validateFields();
    const department = values.__scope === 'department' ? values.__department : undefined;
    setRun({
      document: editor.document,
      form_values: valuesFromState(fields, values),
      ...(department ? { department_id: department } : {}),
    });
    setPage(1);
    setTokens([]);
  };

  const download = async () => {
    if (!run) return;
    setCsvError(null);
    setDownloading(true);
    try {
      await downloadSimulationCsv(editor.flowId, { ...run, only_problems: onlyProblems }, language);
    } catch (error) {
      setCsvError(error);
    } finally {
      setDownloading(false);
    }
  };

  const violations = (error: unknown) => {
    const list = (error as { violations?: { field: string; description: string }[] } | null)?.violations;
    return list && list.length > 0 ? (
      <ul className="pf-sim-violations">
        {list.map((v) => (
          <li key={v.field}>
            <code>{v.field}</code> {v.description}
          </li>
        ))}
      </ul>
    ) : undefined;
  };

  return (
    <section className="pf-sim" aria-labelledby="pf-sim-title">
      <Typography.Title level={2} id="pf-sim-title" className="pf-sim-title">
        {t('title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('intro')}</Typography.Paragraph>

      <Card size="small" className="pf-sim-setup">
        <Form
          form={form}
          layout="vertical"
          initialValues={{ __scope: 'tenant' }}
          onFinish={() => {
            void start();
          }}
        >
          <Form.Item name="__scope" label={t('scope')}>
            <Radio.Group>
              <Radio value="tenant">{t('scopeTenant')}</Radio>
              <Radio value="department">{t('scopeDepartment')}</Radio>
            </Radio.Group>
          </Form.Item>
          {scope === 'department' && (
            <Form.Item
              name="__department"
              label={t('department')}
              rules={[{ required: true, message: t('departmentRequired') }]}
            >
              <DepartmentPicker aria-label={t('department')} />
            </Form.Item>
          )}
          {fields.length > 0 ? (
            <fieldset className="pf-sim-values">
              <legend>{t('values')}</legend>
              <Typography.Paragraph type="secondary">{t('valuesHelp')}</Typography.Paragraph>
              {fields.map((field) => (
                <FieldItem key={field.api_name} field={field} required={false} />
              ))}
            </fieldset>
          ) : (
            <Typography.Paragraph type="secondary">{t('noValues')}</Typography.Paragraph>
          )}
          <Space wrap>
            <Button
              type="primary"
              htmlType="submit"
              icon={<PlayCircleOutlined aria-hidden />}
              loading={simulation.isFetching}
            >
              {t('run')}
            </Button>
            {run && (
              <Button
                icon={<DownloadOutlined aria-hidden />}
                loading={downloading}
                onClick={() => {
                  void download();
                }}
              >
                {t('downloadCsv')}
              </Button>
            )}
          </Space>
        </Form>
      </Card>

      {simulation.isError && (
        <Alert
          type="error"
          showIcon
          className="pf-sim-block"
          title={describeError(t, simulation.error)}
          description={violations(simulation.error)}
        />
      )}
      {csvError !== null && (
        <Alert type="error" showIcon className="pf-sim-block" title={describeError(t, csvError)} />
      )}

      {data && (
        <div aria-live="polite" className="pf-sim-results">
          <Summary data={data.summary} />
          <NodesTable nodes={data.summary.nodes} />
          <DepartmentsTable
            departments={data.departments}
            total={data.departments_total}
            nodeName={nodeName}
          />
          <section className="pf-sim-block" aria-labelledby="pf-sim-longest">
            <Typography.Title level={3} id="pf-sim-longest">
              {t('longest')}
            </Typography.Title>
            <RowsTable rows={data.longest} nodeName={nodeName} caption={t('longest')} />
          </section>
          <section className="pf-sim-block" aria-labelledby="pf-sim-rows">
            <Typography.Title level={3} id="pf-sim-rows">
              {t('rows')}
            </Typography.Title>
            <Space className="pf-sim-filter">
              <Switch
                id="pf-sim-only-problems"
                checked={onlyProblems}
                onChange={(checked) => {
                  setOnlyProblems(checked);
                  setPage(1);
                  setTokens([]);
                }}
              />
              <label htmlFor="pf-sim-only-problems">{t('onlyProblems')}</label>
              <Typography.Text type="secondary">{t('rowsTotal', { count: data.rows_total })}</Typography.Text>
            </Space>
            {data.rows.length === 0 ? (
              <Empty description={onlyProblems ? t('noProblems') : t('noRows')} />
            ) : (
              <RowsTable rows={data.rows} nodeName={nodeName} caption={t('rows')} />
            )}
            <Pager
              page={page}
              lastPage={Math.max(1, Math.ceil(data.rows_total / PAGE_SIZE))}
              hasNext={Boolean(data.page_token)}
              onPage={setPage}
            />
          </section>
        </div>
      )}
    </section>
  );
}

function Summary({ data }: { data: NonNullable<ReturnType<typeof useSimulation>['data']>['summary'] }) {
  const { t, i18n } = useTranslation('consoleSim');
  const number = (n: number) => n.toLocaleString(i18n.language);
  const cards: { key: string; label: string; value: string; warn?: boolean }[] = [
    { key: 'employees', label: t('cardEmployees'), value: number(data.employees) },
    {
      key: 'problems',
      label: t('cardProblems'),
      value: number(data.employees_with_problems),
      warn: data.employees_with_problems > 0,
    },
    {
      key: 'fallback',
      label: t('cardFallback'),
      value: number(data.with_fallback),
      warn: data.with_fallback > 0,
    },
    {
      key: 'self',
      label: t('cardSelf'),
      value: number(data.with_self_approval),
      warn: data.with_self_approval > 0,
    },
    { key: 'refused', label: t('cardRefused'), value: number(data.refused), warn: data.refused > 0 },
    {
      key: 'chain',
      label: t('cardChain'),
      value: t('chainValue', { longest: data.longest_chain, average: data.average_chain }),
    },
  ];
  return (
    <section className="pf-sim-block" aria-labelledby="pf-sim-summary">
      <Typography.Title level={3} id="pf-sim-summary">
        {t('summary')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {t(`source.${data.source}`, { version: data.version })} · {t('duration', { ms: data.duration_ms })}
      </Typography.Paragraph>
      <ul className="pf-sim-cards">
        {cards.map((card) => (
          <li key={card.key} className={card.warn ? 'pf-sim-card pf-sim-card-warn' : 'pf-sim-card'}>
            <span className="pf-sim-card-label">
              {card.warn && <WarningOutlined aria-hidden />} {card.label}
            </span>
            <span className="pf-sim-card-value">{card.value}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * A wide table scrolls sideways inside its own region on a narrow screen; the region takes keyboard
 * focus so the arrow keys scroll it too.
 */
function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="pf-sim-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

function CauseTags({ causes }: { causes: Partial<Record<string, number>> | string[] }) {
  const { t } = useTranslation('consoleSim');
  const entries = Array.isArray(causes)
    ? causes.map((c) => [c, undefined] as const)
    : Object.entries(causes).map(([c, n]) => [c, n] as const);
  return (
    <>
      {entries.map(([cause, count]) => (
        <Tag key={cause} className="pf-sim-tag pf-sim-tag-warn">
          {t(`cause.${cause}`)}
          {count !== undefined ? ` × ${String(count)}` : ''}
        </Tag>
      ))}
    </>
  );
}

function NodesTable({ nodes }: { nodes: SimulationNode[] }) {
  const { t, i18n } = useTranslation('consoleSim');
  const rows = nodes.filter((n) => ACTING.has(n.kind));
  return (
    <section className="pf-sim-block" aria-labelledby="pf-sim-nodes">
      <Typography.Title level={3} id="pf-sim-nodes">
        {t('byNode')}
      </Typography.Title>
      <ScrollRegion label={t('byNode')}>
        <Table<SimulationNode>
          size="small"
          rowKey="node_id"
          pagination={false}
          dataSource={rows}
          columns={[
            { title: t('node'), key: 'name', render: (_, n) => localized(n.name, i18n.language) },
            { title: t('reached'), dataIndex: 'reached' },
            {
              title: t('fallbacks'),
              key: 'fallbacks',
              render: (_, n) =>
                n.fallbacks + n.refused > 0 ? (
                  <Space wrap size={4}>
                    <span>{n.fallbacks + n.refused}</span>
                    <CauseTags causes={n.causes} />
                  </Space>
                ) : (
                  0
                ),
            },
            { title: t('selfApprovals'), dataIndex: 'self_approvals' },
          ]}
        />
      </ScrollRegion>
    </section>
  );
}

function DepartmentsTable({
  departments,
  total,
  nodeName,
}: {
  departments: SimulationDepartment[];
  total: number;
  nodeName: (id: string) => string;
}) {
  const { t, i18n } = useTranslation('consoleSim');
  return (
    <section className="pf-sim-block" aria-labelledby="pf-sim-departments">
      <Typography.Title level={3} id="pf-sim-departments">
        {t('byDepartment')}
      </Typography.Title>
      <ScrollRegion label={t('byDepartment')}>
        <Table<SimulationDepartment>
          size="small"
          rowKey={(d) => d.department?.department_id ?? '-'}
          pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
          dataSource={departments}
          footer={
            total > departments.length
              ? () => t('departmentsShown', { shown: departments.length, total })
              : undefined
          }
          columns={[
            {
              title: t('department'),
              key: 'department',
              render: (_, d) =>
                d.department ? localized(d.department.name, i18n.language) : t('noDepartment'),
            },
            { title: t('employees'), dataIndex: 'employees' },
            { title: t('withProblems'), dataIndex: 'employees_with_problems' },
            {
              title: t('fallbacksByNode'),
              key: 'fallbacks',
              render: (_, d) => (
                <Space wrap size={4}>
                  {Object.entries(d.fallbacks_by_node).map(([node, count]) => (
                    <Tag key={node}>{`${nodeName(node)}: ${String(count)}`}</Tag>
                  ))}
                </Space>
              ),
            },
            { title: t('selfApprovals'), dataIndex: 'self_approvals' },
            { title: t('longestChain'), dataIndex: 'longest_chain' },
          ]}
        />
      </ScrollRegion>
    </section>
  );
}

function StepFlags({ step }: { step: SimulationRowNode }) {
  const { t } = useTranslation('consoleSim');
  return (
    <>
      {step.refused && <Tag className="pf-sim-tag pf-sim-tag-danger">{t('flag.refused')}</Tag>}
      {step.fallback && (
        <Tag className="pf-sim-tag pf-sim-tag-warn">
          {t(step.fallback === 'to_admins' ? 'flag.toAdmins' : 'flag.autoPass')}
        </Tag>
      )}
      {(step.fallback || step.refused) && <CauseTags causes={step.causes} />}
      {step.self_approval && <Tag className="pf-sim-tag pf-sim-tag-self">{t('flag.self')}</Tag>}
    </>
  );
}

function RowsTable({
  rows,
  nodeName,
  caption,
}: {
  rows: SimulationRow[];
  nodeName: (id: string) => string;
  caption: string;
}) {
  const { t, i18n } = useTranslation('consoleSim');
  return (
    <ScrollRegion label={caption}>
      <Table<SimulationRow>
        size="small"
        rowKey={(r) => r.initiator.user_id}
        pagination={false}
        dataSource={rows}
        aria-label={caption}
        columns={[
          {
            title: t('initiator'),
            key: 'initiator',
            render: (_, r) => (
              <div>
                <div>{localized(r.initiator.name, i18n.language)}</div>
                {r.initiator.department && (
                  <Typography.Text type="secondary">
                    {localized(r.initiator.department.name, i18n.language)}
                  </Typography.Text>
                )}
              </div>
            ),
          },
          {
            title: t('path'),
            key: 'path',
            render: (_, r) => (
              <ol className="pf-sim-path">
                {r.nodes
                  .filter((n) => ACTING.has(n.kind))
                  .map((n) => (
                    <li key={n.node_id}>
                      <span className="pf-sim-path-node">{nodeName(n.node_id)}</span>
                      {t('colon')}
                      {n.assignees.length > 0
                        ? n.assignees.map((p) => localized(p.name, i18n.language)).join(t('listSeparator'))
                        : t('nobody')}{' '}
                      <StepFlags step={n} />
                    </li>
                  ))}
              </ol>
            ),
          },
          { title: t('chain'), dataIndex: 'chain_length', width: 90 },
        ]}
      />
    </ScrollRegion>
  );
}
