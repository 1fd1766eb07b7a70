import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  Alert,
  Button,
  Descriptions,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  type FormInstance,
} from 'antd';
import { useTranslation } from 'react-i18next';
import type { AdminTask, AuditLine } from '@contract';
import { isApiError } from '../../../api/client';
import { PageLoading } from '../../../app/Layout';
import { useAppPath } from '../../../app/paths';
import { Problem } from '../../../components/Problem';
import { PersonPicker } from '../../../components/form/PersonPicker';
import { ReadOnlyValue } from '../../../components/form/ReadOnlyValue';
import { ProcessTimeline } from '../../../components/process/ProcessTimeline';
import { describeError, violationsByField } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { localized } from '../../../lib/language';
import { useAdminAction, useAdminProcess, type AdminAction } from './queries';
import { SystemJobsSection } from './SystemJobs';
import './monitoring.css';

type DialogKind = 'reassign' | 'return' | 'withdraw' | 'revoke';
interface DialogState {
  kind: DialogKind;
  task?: AdminTask;
}
interface Values {
  to_user_id?: string;
  remark?: string;
  target_node_id?: string;
  reason?: string;
}

/** The server's own words for a refused action, under the catalogue's sentence (which names only the kind). */
function serverMessage(error: unknown): string | undefined {
  return isApiError(error) && error.code !== 'network' && error.message ? error.message : undefined;
}

/**
 * The dialog's values, or undefined when a field is wrong (the form shows it beside the field). Never
 * rejects: a rejection left to `void submit()` is an uncaught error and the dialog looks stuck. A check
 * overtaken by a field's own (a picker settling as Confirm takes the focus) is `outOfDate` with no
 * errors: check again rather than give up silently.
 */
async function validValues(form: FormInstance<Values>): Promise<Values | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await form.validateFields();
    } catch (failure) {
      const overtaken =
        typeof failure === 'object' &&
        failure !== null &&
        'outOfDate' in failure &&
        failure.outOfDate === true &&
        'errorFields' in failure &&
        Array.isArray(failure.errorFields) &&
        failure.errorFields.length === 0;
      if (!overtaken) return undefined;
    }
  }
  return undefined;
}

/** One process for its admins: audit trail, reassign, return, withdraw or revoke on someone's behalf (owner: h-monitor). */
export default function ProcessAdminPage() {
  const { t, i18n } = useTranslation(['consoleMonitor', 'common', 'errors']);
  const lang = i18n.language;
  const appPath = useAppPath();
  const { processId = '' } = useParams();
  const process = useAdminProcess(processId);
  const action = useAdminAction(processId);
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const [form] = Form.useForm<Values>();

  useEffect(() => {
    if (dialog) {
      form.resetFields();
      action.reset();
    }
    // Only when a dialog opens (the mutation object changes on every render).
  }, [dialog, form]);

  if (process.isPending) return <PageLoading />;
  if (process.isError)
    return (
      <Problem
        title={t('notFoundTitle')}
        text={describeError(t, process.error)}
        action={<Link to={appPath('/console/processes')}>{t('backToSearch')}</Link>}
      />
    );
  const detail = process.data;
  const open = detail.tasks.filter((task) => task.status === 'in_progress');
  const who = (person: { name: { zh_cn: string; en_us: string }; active: boolean } | null | undefined) =>
    person ? `${localized(person.name, lang)}${person.active ? '' : ` (${t('left')})`}` : t('system');

  const submit = async () => {
    if (!dialog) return;
    const values = await validValues(form);
    if (!values) return;
    let sent: AdminAction;
    switch (dialog.kind) {
      case 'reassign':
        sent = {
          kind: 'reassign',
          task_ids: dialog.task ? [dialog.task.task_id] : [],
          to_user_id: values.to_user_id ?? '',
          ...(values.remark ? { remark: values.remark } : {}),
        };
        break;
      case 'return':
        sent = {
          kind: 'return',
          task_id: dialog.task?.task_id ?? '',
          target_node_id: values.target_node_id ?? '',
          ...(values.reason ? { reason: values.reason } : {}),
        };
        break;
      case 'withdraw':
      case 'revoke':
        sent = { kind: dialog.kind, reason: values.reason ?? '' };
    }
    action.mutate(sent, {
      onSuccess: () => {
        setDialog(null);
      },
    });
  };
  const fieldErrors = violationsByField(action.error);

  return (
    <div className="pf-monitor">
      <Link to={appPath('/console/processes')}>← {t('backToSearch')}</Link>
      <div className="pf-monitor-head">
        <h1 className="pf-page-title">
          {localized(detail.flow.name, lang)} <Tag>{t(`common:status.${detail.status}`)}</Tag>
        </h1>
        <div className="pf-monitor-actions">
          {detail.can.withdraw && (
            <Button
              danger
              onClick={() => {
                setDialog({ kind: 'withdraw' });
              }}
            >
              {t('withdrawOnBehalf')}
            </Button>
          )}
          {detail.can.revoke && (
            <Button
              danger
              onClick={() => {
                setDialog({ kind: 'revoke' });
              }}
            >
              {t('revokeOnBehalf')}
            </Button>
          )}
          <Link to={appPath(`/approval-center/processes/${detail.process_id}`)}>
            {t('openInApprovalCenter')}
          </Link>
        </div>
      </div>

      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, md: 3 }}
        items={[
          { key: 'id', label: t('processId'), children: detail.process_id },
          {
            key: 'flow',
            label: t('flow'),
            children: `${localized(detail.flow.name, lang)} · ${t('version', { version: detail.flow.version })}`,
          },
          { key: 'initiator', label: t('initiator'), children: who(detail.initiator) },
          { key: 'started', label: t('startedAt'), children: formatDateTime(detail.started_at, lang) },
          { key: 'updated', label: t('updatedAt'), children: formatDateTime(detail.updated_at, lang) },
          ...(detail.completed_at
            ? [
                {
                  key: 'completed',
                  label: t('completedAt'),
                  children: formatDateTime(detail.completed_at, lang),
                },
              ]
            : []),
        ]}
      />

      <section className="pf-monitor-section" aria-labelledby="open-tasks-title">
        <Typography.Title level={2} id="open-tasks-title" style={{ fontSize: 18 }}>
          {t('openTasks')}
        </Typography.Title>
        <Table<AdminTask>
          rowKey="task_id"
          size="small"
          pagination={false}
          scroll={{ x: 640 }}
          dataSource={open}
          locale={{ emptyText: t('noOpenTasks') }}
          columns={[
            { key: 'node', title: t('node'), render: (_, task) => localized(task.node_name, lang) },
            { key: 'assignee', title: t('assignee'), render: (_, task) => who(task.assignee) },
            {
              key: 'since',
              title: t('waitingSince'),
              render: (_, task) => formatDateTime(task.created_at, lang),
            },
            {
              key: 'actions',
              title: t('actions'),
              render: (_, task) => (
                <Space wrap>
                  {detail.can.reassign && (
                    <Button
                      size="small"
                      aria-label={`${t('reassign')}: ${who(task.assignee)}`}
                      onClick={() => {
                        setDialog({ kind: 'reassign', task });
                      }}
                    >
                      {t('reassign')}
                    </Button>
                  )}
                  {task.return_targets.length > 0 && detail.status === 'in_progress' && (
                    <Button
                      size="small"
                      aria-label={`${t('returnToNode')}: ${who(task.assignee)}`}
                      onClick={() => {
                        setDialog({ kind: 'return', task });
                      }}
                    >
                      {t('returnToNode')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </section>

      <section className="pf-monitor-section" aria-labelledby="form-title">
        <Typography.Title level={2} id="form-title" style={{ fontSize: 18 }}>
          {t('formValues')}
        </Typography.Title>
        <Descriptions
          size="small"
          bordered
          column={1}
          items={detail.form.map((f) => ({
            key: f.api_name,
            label: localized(f.label, lang),
            children: <ReadOnlyValue field={f} value={detail.form_values[f.api_name]} resolved={detail} />,
          }))}
        />
      </section>

      <SystemJobsSection processId={detail.process_id} />

      <section className="pf-monitor-section" aria-labelledby="audit-title">
        <Typography.Title level={2} id="audit-title" style={{ fontSize: 18 }}>
          {t('auditTrail')}
        </Typography.Title>
        <Table<AuditLine & { key: number }>
          rowKey="key"
          size="small"
          pagination={false}
          scroll={{ x: 720 }}
          dataSource={detail.audit.map((line, key) => ({ ...line, key }))}
          columns={[
            { key: 'at', title: t('when'), render: (_, line) => formatDateTime(line.at, lang) },
            {
              key: 'actor',
              title: t('who'),
              render: (_, line) => (
                <span>
                  {who(line.actor)} {line.by_admin && <Tag color="purple">{t('admin')}</Tag>}
                </span>
              ),
            },
            {
              key: 'what',
              title: t('what'),
              render: (_, line) => (line.detail ? localized(line.detail, lang) : line.action),
            },
            {
              key: 'for',
              title: t('onBehalfOf'),
              render: (_, line) => (line.on_behalf_of ? who(line.on_behalf_of) : '—'),
            },
            { key: 'reason', title: t('reason'), render: (_, line) => line.reason ?? '—' },
          ]}
        />
      </section>

      <section className="pf-monitor-section" aria-labelledby="timeline-title">
        <Typography.Title level={2} id="timeline-title" style={{ fontSize: 18 }}>
          {t('timeline')}
        </Typography.Title>
        <ProcessTimeline timeline={detail.timeline} comments={detail.comments} />
      </section>

      <Modal
        open={dialog !== null}
        title={dialog ? t(`dialog.${dialog.kind}`) : ''}
        okText={t('common:confirm')}
        cancelText={t('common:cancel')}
        okButtonProps={{
          loading: action.isPending,
          danger: dialog?.kind === 'withdraw' || dialog?.kind === 'revoke',
        }}
        onOk={() => {
          void submit();
        }}
        onCancel={() => {
          setDialog(null);
        }}
        destroyOnHidden
      >
        {dialog?.task && (
          <Typography.Paragraph>
            {t('dialog.task', {
              node: localized(dialog.task.node_name, lang),
              person: who(dialog.task.assignee),
            })}
          </Typography.Paragraph>
        )}
        {(dialog?.kind === 'withdraw' || dialog?.kind === 'revoke') && (
          <Typography.Paragraph>
            {t(`dialog.${dialog.kind}Text`, { person: who(detail.initiator) })}
          </Typography.Paragraph>
        )}
        <Form form={form} layout="vertical" requiredMark>
          {dialog?.kind === 'reassign' && (
            <>
              <Form.Item
                name="to_user_id"
                label={t('reassignTo')}
                rules={[{ required: true, message: t('required') }]}
                {...(fieldErrors.to_user_id ? { validateStatus: 'error', help: fieldErrors.to_user_id } : {})}
              >
                <PersonPicker
                  aria-label={t('reassignTo')}
                  exclude={dialog.task ? [dialog.task.assignee.user_id] : []}
                />
              </Form.Item>
              <Form.Item name="remark" label={t('remark')}>
                <Input.TextArea maxLength={2000} autoSize={{ minRows: 2 }} />
              </Form.Item>
            </>
          )}
          {dialog?.kind === 'return' && (
            <>
              <Form.Item
                name="target_node_id"
                label={t('returnTo')}
                rules={[{ required: true, message: t('required') }]}
              >
                <Select
                  aria-label={t('returnTo')}
                  options={(dialog.task?.return_targets ?? []).map((n) => ({
                    value: n.node_id,
                    label: localized(n.name, lang),
                  }))}
                />
              </Form.Item>
              <Form.Item name="reason" label={t('reason')}>
                <Input.TextArea maxLength={2000} autoSize={{ minRows: 2 }} />
              </Form.Item>
            </>
          )}
          {(dialog?.kind === 'withdraw' || dialog?.kind === 'revoke') && (
            <Form.Item
              name="reason"
              label={t('reason')}
              rules={[{ required: true, whitespace: true, message: t('reasonRequired') }]}
            >
              <Input.TextArea aria-label={t('reason')} maxLength={2000} autoSize={{ minRows: 2 }} />
            </Form.Item>
          )}
        </Form>
        {action.error && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={describeError(t, action.error)}
            description={serverMessage(action.error)}
          />
        )}
      </Modal>
    </div>
  );
}
