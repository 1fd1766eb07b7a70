import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Grid,
  Result,
  Row,
  Skeleton,
  Space,
  Tag,
  Typography,
} from 'antd';
import { BellOutlined, PrinterOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { MyTask, ProcessDetail, ProcessStatus } from '@contract';
import { isApiError } from '../../api/client';
import { useAppPath } from '../../app/paths';
import { useMe } from '../../app/me';
import { FieldItem } from '../../components/form/FieldControls';
import { ReadOnlyValue } from '../../components/form/ReadOnlyValue';
import { ActionDialog, type DialogKind } from '../../components/process/ActionDialog';
import { PathSteps } from '../../components/process/PathSteps';
import { ProcessTimeline } from '../../components/process/ProcessTimeline';
import { TONE_STYLE } from '../../components/process/tones';
import { describeError } from '../../lib/errors';
import { formatDateTime, summaryValue } from '../../lib/format';
import { stateFromValues, valuesFromState, type FormState } from '../../lib/formValues';
import { localized } from '../../lib/language';
import { errorsByPath, placeViolations, violationCode } from '../../lib/violations';
import { isConflict, useProcess, useProcessAction, type ProcessAction } from './queries';
import { OnApprovalCard, useOnApprovalShown } from './OnApprovalCard';
import { useUrge } from './timerQueries';
import './process.css';

export const STATUS_TONE: Record<ProcessStatus, keyof typeof TONE_STYLE> = {
  in_progress: 'blue',
  completed: 'green',
  rejected: 'red',
  withdrawn: 'gray',
  revoked: 'gray',
  revoking: 'orange',
};

/** /approval-center/processes/:processId — status, form, timeline, what comes next, and the person's actions. */
// A column's cards, one under the other. Block-level: antd's Space is inline-flex, which sits on the
// text baseline of its first card — a small card's title sits lower, and its column started 8 px down.
const COLUMN_STACK = { width: '100%', display: 'flex' } as const;

export default function ProcessPage() {
  const { processId } = useParams();
  const { t } = useTranslation('process');
  const process = useProcess(processId);
  if (process.isLoading) return <Skeleton active />;
  if (!process.data) {
    const missing = isApiError(process.error, 'process_not_found') || isApiError(process.error, 'not_found');
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? t('not_found') : describeError(t, process.error)}
      />
    );
  }
  return <ProcessView detail={process.data} refreshing={process.isFetching} />;
}

const TASK_DIALOGS = new Set<DialogKind>(['approve', 'reject', 'transfer', 'add-sign', 'return']);

function ProcessView({ detail, refreshing }: { detail: ProcessDetail; refreshing: boolean }) {
  const { t, i18n } = useTranslation('process');
  const lang = i18n.language;
  const me = useMe();
  const appPath = useAppPath();
  const { message } = App.useApp();
  const action = useProcessAction(detail.process_id);
  const [dialog, setDialog] = useState<DialogKind | null>(null);
  const [editForm] = Form.useForm();

  const task: MyTask | undefined = detail.my_tasks[0];
  const editable = useMemo(() => new Set(task?.editable_fields ?? []), [task]);
  const requiredHere = useMemo(() => new Set(task?.required_fields ?? []), [task]);
  const editableFields = detail.form.filter((f) => editable.has(f.api_name));
  // Seeds the editable form; the form is keyed by the task, so a refetch keeps what was typed.
  const editInitial = stateFromValues(editableFields, detail.form_values);
  const known = useMemo(
    () => ({ ...detail.people, [detail.initiator.user_id]: detail.initiator }),
    [detail.people, detail.initiator],
  );

  const translateViolation = (description: string) => {
    const code = violationCode(description);
    return code ? t(`request:violation.${code}`) : description;
  };

  // Someone else acted first: said by a toast and kept on the page until dismissed (a toast is easy
  // to miss while the page changes under it).
  const [conflictNotice, setConflictNotice] = useState(false);
  const tellConflict = () => {
    setDialog(null);
    setConflictNotice(true);
    void message.error({ content: t('conflict'), duration: 8 });
  };

  const send = (act: ProcessAction) => {
    // The promise, not mutate's callbacks: those are dropped when the page re-renders without the task
    // (a live update that someone else decided first), and that is exactly when the message matters.
    action.mutateAsync(act).then(
      () => {
        setDialog(null);
        void message.success(t(`done.${act.kind}`));
      },
      (error: unknown) => {
        if (isConflict(error)) {
          tellConflict();
          return;
        }
        if (act.kind === 'approve' && isApiError(error) && error.violations.length > 0) {
          const names = editableFields.map((f) => f.api_name);
          const { onFields } = placeViolations(error.violations, 'field_values', names);
          if (onFields.length > 0) {
            setDialog(null);
            editForm.setFields(
              errorsByPath(onFields).map(({ name, errors }) => ({
                name,
                errors: errors.map(translateViolation),
              })),
            );
            void message.error(describeError(t, error));
          }
        }
      },
    );
  };

  const confirm = (act: ProcessAction) => {
    if (act.kind === 'approve' && editableFields.length > 0) {
      // The node's editable fields travel with the approval.
      const values = valuesFromState(editableFields, editForm.getFieldsValue(true) as FormState);
      send({ ...act, body: { ...act.body, field_values: values } });
    } else send(act);
  };

  // A task dialog is for the task it was opened on: a live refetch that reorders or replaces the
  // person's tasks must not retarget it, and one that takes the task away closes it (below).
  const [dialogTaskId, setDialogTaskId] = useState<string | undefined>(undefined);
  const openApprove = async () => {
    const opening = task?.task_id;
    if (editableFields.length > 0) {
      try {
        await editForm.validateFields();
      } catch {
        // Show the field that still needs filling: it may sit above the action bar, out of view.
        const first = editableFields.find((f) => editForm.getFieldError(f.api_name).length > 0);
        if (first) editForm.scrollToField(first.api_name, { block: 'center', focus: true });
        return;
      }
    }
    action.reset();
    setDialogTaskId(opening);
    setDialog('approve');
  };
  const open = (kind: DialogKind) => {
    action.reset();
    setDialogTaskId(task?.task_id);
    setDialog(kind);
  };

  const forTask = dialog !== null && TASK_DIALOGS.has(dialog);
  const dialogTask: MyTask | undefined = forTask
    ? detail.my_tasks.find((t) => t.task_id === dialogTaskId)
    : undefined;
  // A task dialog whose task is not (or no longer) the person's — someone else decided meanwhile, or
  // it opened on a page a live update was just replacing: close it and say so, rather than leave a
  // Confirm that cannot send anything. While an action is on its way its own answer decides.
  const taskGone = forTask && dialogTask === undefined && action.isIdle;
  useEffect(() => {
    if (taskGone) tellConflict();
    // tellConflict is a fresh closure each render; only the change of taskGone matters.
  }, [taskGone]);

  const busy = action.isPending;
  const can = task?.can;
  const buttons: { kind: DialogKind; label: string; primary?: boolean; danger?: boolean; show: boolean }[] = [
    { kind: 'approve', label: t('actions.approve'), primary: true, show: Boolean(can?.approve) },
    { kind: 'reject', label: t('actions.reject'), danger: true, show: Boolean(can?.reject) },
    { kind: 'transfer', label: t('actions.transfer'), show: Boolean(can?.transfer) },
    { kind: 'add-sign', label: t('actions.add_sign'), show: Boolean(can?.add_sign) },
    {
      kind: 'return',
      label: t('actions.return'),
      show: Boolean(can?.return) && (task?.return_targets.length ?? 0) > 0,
    },
    { kind: 'withdraw', label: t('actions.withdraw'), danger: true, show: detail.can.withdraw },
    { kind: 'revoke', label: t('actions.revoke'), danger: true, show: detail.can.revoke },
    { kind: 'comment', label: t('actions.comment'), show: detail.can.comment },
  ];
  const shown = buttons.filter((b) => b.show);

  // 催办: the initiator nudges whoever has the request now (the server says when it is too soon).
  const urge = useUrge(detail.process_id);
  const [urgeRefusal, setUrgeRefusal] = useState<string | null>(null);
  const mine = detail.initiator.user_id === me.person.user_id;
  const serverCanUrge = (detail.can as { urge?: unknown }).urge;
  const canUrge =
    typeof serverCanUrge === 'boolean' ? serverCanUrge : mine && detail.status === 'in_progress';
  const sendUrge = () => {
    setUrgeRefusal(null);
    urge.mutateAsync().then(
      () => {
        void message.success(t('urge.done'));
      },
      (error: unknown) => {
        const words = isApiError(error) && error.status === 409 && error.message ? error.message : null;
        setUrgeRefusal(words ?? describeError(t, error));
        void message.error(words ?? describeError(t, error));
      },
    );
  };
  // Whoever may see the process may see what approving it will change (sensitive values masked).
  const showApprovalCard = detail.status === 'in_progress';
  // Stacked in one column (a phone, a narrow window), what approving will do goes right under the
  // summary — above the form and the timeline, past which an approver reaching for the action bar
  // would not scroll.
  const stacked = Grid.useBreakpoint().lg === false;
  // Only when it has something to say: an empty item would still take its column's spacing.
  const approvalCard = useOnApprovalShown(detail.process_id, showApprovalCard) && (
    <OnApprovalCard processId={detail.process_id} enabled={showApprovalCard} />
  );

  return (
    <div className="pf-process">
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <header className="pf-process-head">
          <div>
            <Typography.Title level={2} style={{ margin: 0 }}>
              {localized(detail.flow.name, lang)}
            </Typography.Title>
            <Space size={[8, 4]} wrap style={{ marginTop: 4 }}>
              <Tag style={TONE_STYLE[STATUS_TONE[detail.status]]}>{t(`common:status.${detail.status}`)}</Tag>
              <Typography.Text type="secondary">{localized(detail.biz_type_name, lang)}</Typography.Text>
              <Typography.Text type="secondary">
                {t('started_by', {
                  name: localized(detail.initiator.name, lang),
                  time: formatDateTime(detail.started_at, lang),
                })}
              </Typography.Text>
              {refreshing && (
                <span className="pf-visually-hidden" role="status">
                  {t('refreshing')}
                </span>
              )}
            </Space>
          </div>
          <Link
            to={appPath(`/approval-center/processes/${encodeURIComponent(detail.process_id)}/print`)}
            className="pf-print-link"
          >
            <PrinterOutlined aria-hidden /> {t('print')}
          </Link>
        </header>

        {conflictNotice && (
          <Alert
            type="warning"
            showIcon
            closable={{
              'aria-label': t('common:close'),
              onClose: () => {
                setConflictNotice(false);
              },
            }}
            title={t('conflict')}
          />
        )}
        {urgeRefusal && (
          <Alert
            type="warning"
            showIcon
            closable={{
              'aria-label': t('common:close'),
              onClose: () => {
                setUrgeRefusal(null);
              },
            }}
            title={t('urge.refused')}
            description={urgeRefusal}
          />
        )}
        {task && (
          <Alert
            type="info"
            showIcon
            title={t(task.type === 'form_fill' ? 'your_turn_fill' : 'your_turn', {
              node: localized(task.node_name, lang),
            })}
          />
        )}

        <Row gutter={[16, 24]} align="top">
          <Col xs={24} lg={15}>
            <Space orientation="vertical" size="middle" style={COLUMN_STACK}>
              {detail.summary.length > 0 && (
                <Card size="small" title={t('summary')}>
                  <Descriptions
                    size="small"
                    column={{ xs: 1, sm: 2 }}
                    items={detail.summary.map((s, i) => ({
                      key: i,
                      label: localized(s.label, lang),
                      children: summaryValue(s, lang),
                    }))}
                  />
                </Card>
              )}
              {stacked && approvalCard}
              <Card title={t('form_title')}>
                <Descriptions
                  size="small"
                  column={1}
                  bordered
                  className="pf-readonly-form"
                  items={detail.form
                    .filter((f) => !editable.has(f.api_name))
                    .map((f) => ({
                      key: f.api_name,
                      label: localized(f.label, lang),
                      children: (
                        <ReadOnlyValue field={f} value={detail.form_values[f.api_name]} resolved={detail} />
                      ),
                    }))}
                />
                {editableFields.length > 0 && (
                  <section aria-labelledby="editable-title" style={{ marginTop: 16 }}>
                    <Typography.Title level={3} id="editable-title" style={{ fontSize: 16 }}>
                      {t('editable_title')}
                    </Typography.Title>
                    <Form
                      key={task?.task_id}
                      form={editForm}
                      layout="vertical"
                      name="node-fields"
                      initialValues={editInitial}
                      requiredMark
                    >
                      {editableFields.map((f) => (
                        <FieldItem
                          key={f.api_name}
                          field={f}
                          required={requiredHere.has(f.api_name)}
                          known={known}
                          disabled={busy}
                        />
                      ))}
                    </Form>
                  </section>
                )}
              </Card>
              <Card title={t('timeline_title')}>
                <ProcessTimeline timeline={detail.timeline} comments={detail.comments} />
              </Card>
            </Space>
          </Col>
          <Col xs={24} lg={9}>
            <Space orientation="vertical" size="middle" style={COLUMN_STACK}>
              {!stacked && approvalCard}
              <Card title={t('upcoming_title')} className="pf-upcoming">
                {detail.upcoming.length > 0 ? (
                  <PathSteps steps={detail.upcoming} />
                ) : (
                  <Typography.Text type="secondary">{t('upcoming_none')}</Typography.Text>
                )}
              </Card>
            </Space>
          </Col>
        </Row>
      </Space>

      {(shown.length > 0 || canUrge) && (
        <div className="pf-action-bar" role="toolbar" aria-label={t('actions.label')}>
          {shown.map((b) => (
            <Button
              key={b.kind}
              type={b.primary ? 'primary' : 'default'}
              danger={b.danger}
              disabled={busy}
              loading={busy && dialog === b.kind}
              onClick={() => {
                if (b.kind === 'approve') void openApprove();
                else open(b.kind);
              }}
            >
              {b.label}
            </Button>
          ))}
          {canUrge && (
            <Button
              icon={<BellOutlined aria-hidden />}
              disabled={busy || urge.isPending}
              loading={urge.isPending}
              onClick={sendUrge}
            >
              {t('urge.button')}
            </Button>
          )}
        </div>
      )}

      <ActionDialog
        kind={dialog}
        task={forTask ? dialogTask : task}
        me={me.person.user_id}
        known={known}
        pending={busy}
        error={action.error && !isConflict(action.error) ? action.error : null}
        onCancel={() => {
          setDialog(null);
        }}
        onConfirm={confirm}
        onTaskGone={tellConflict}
      />
    </div>
  );
}
