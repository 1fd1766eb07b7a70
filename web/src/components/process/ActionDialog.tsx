import { useLayoutEffect, useState } from 'react';
import { Alert, Form, Input, Modal, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FileRef, MyTask, PersonRef } from '@contract';
import { describeError } from '../../lib/errors';
import { localized } from '../../lib/language';
import { validateForConfirm } from '../../lib/validation';
import { FileUpload } from '../form/FileUpload';
import { PersonPicker } from '../form/PersonPicker';
import { MentionsInput } from './MentionsInput';
import type { ProcessAction } from '../../pages/process/queries';

export type DialogKind =
  'approve' | 'reject' | 'transfer' | 'add-sign' | 'return' | 'withdraw' | 'revoke' | 'comment';

interface Props {
  kind: DialogKind | null;
  task: MyTask | undefined;
  me: string;
  known: Record<string, PersonRef>;
  pending: boolean;
  error: unknown;
  onCancel: () => void;
  /** The action to send; `fieldValues` come from the page's editable form (approve only). */
  onConfirm: (action: ProcessAction) => void;
  /** Confirm on a task dialog whose task is not there (decided meanwhile): the page says so and closes it. */
  onTaskGone: () => void;
}

const TASK_KINDS = new Set<DialogKind>(['approve', 'reject', 'transfer', 'add-sign', 'return']);

interface Values {
  opinion?: string;
  to_user_id?: string;
  remark?: string;
  user_ids?: string[];
  position?: 'pre' | 'parallel' | 'post';
  mode?: 'or' | 'and';
  target_node_id?: string;
  reason?: string;
  text?: string;
  mention_user_ids?: string[];
  files?: FileRef[];
}

/** The one dialog for every action: its fields, validation, and a "Confirm" button (disabled while sending). */
export function ActionDialog({
  kind,
  task,
  me,
  known,
  pending,
  error,
  onCancel,
  onConfirm,
  onTaskGone,
}: Props) {
  const { t, i18n } = useTranslation('process');
  const [form] = Form.useForm<Values>();
  const [position, setPosition] = useState<Values['position']>('post');
  const [mentioned, setMentioned] = useState<Record<string, PersonRef>>({});
  // A Confirm whose check of the form did not finish (and no field says why): the dialog says so.
  const [unchecked, setUnchecked] = useState(false);

  // Before the opened dialog is painted (a layout effect, not an effect): a choice made the instant it
  // shows must not be wiped by this reset.
  useLayoutEffect(() => {
    if (kind) {
      form.resetFields();
      setPosition('post');
      setUnchecked(false);
    }
  }, [kind, form]);

  const confirm = async () => {
    // Never a Confirm that silently does nothing: without its task a task action cannot be sent.
    if (kind !== null && TASK_KINDS.has(kind) && !task) {
      onTaskGone();
      return;
    }
    setUnchecked(false);
    const checked = await validateForConfirm(form);
    if (!checked.ok) {
      // A field in error shows it beside the field; anything else must be said here.
      if (!checked.shown) setUnchecked(true);
      return;
    }
    const v = checked.values;
    const trim = (s: string | undefined) => (s && s.trim() !== '' ? s.trim() : undefined);
    switch (kind) {
      case 'approve':
        if (task) onConfirm({ kind: 'approve', taskId: task.task_id, body: { opinion: trim(v.opinion) } });
        break;
      case 'reject':
        if (task)
          onConfirm({ kind: 'reject', taskId: task.task_id, body: { opinion: (v.opinion ?? '').trim() } });
        break;
      case 'transfer':
        if (task && v.to_user_id)
          onConfirm({
            kind: 'transfer',
            taskId: task.task_id,
            body: { to_user_id: v.to_user_id, remark: trim(v.remark) },
          });
        break;
      case 'add-sign':
        if (task)
          onConfirm({
            kind: 'add-sign',
            taskId: task.task_id,
            body: {
              position: v.position ?? 'post',
              // Beside me is always a countersign (contract: parallel is countersign only).
              mode: v.position === 'parallel' ? 'and' : (v.mode ?? 'or'),
              user_ids: v.user_ids ?? [],
              remark: trim(v.remark),
            },
          });
        break;
      case 'return':
        if (task && v.target_node_id)
          onConfirm({
            kind: 'return',
            taskId: task.task_id,
            body: { target_node_id: v.target_node_id, reason: trim(v.reason) },
          });
        break;
      case 'withdraw':
      case 'revoke':
        onConfirm({ kind, body: { reason: trim(v.reason) } });
        break;
      case 'comment':
        onConfirm({
          kind: 'comments',
          body: {
            text: (v.text ?? '').trim(),
            mention_user_ids: v.mention_user_ids ?? [],
            file_ids: (v.files ?? []).map((f) => f.file_id),
          },
        });
        break;
      case null:
        break;
    }
  };

  const required = (message: string) => [{ required: true, whitespace: true, message }];

  return (
    <Modal
      open={kind !== null}
      title={kind ? t(`dialog.${kind}.title`) : ''}
      okText={t('common:confirm')}
      cancelText={t('common:cancel')}
      onOk={() => void confirm()}
      onCancel={onCancel}
      okButtonProps={{ loading: pending, disabled: pending }}
      cancelButtonProps={{ disabled: pending }}
      mask={{ closable: !pending }}
      destroyOnHidden
      forceRender={false}
    >
      {kind && (
        <Form
          form={form}
          layout="vertical"
          name={`action-${kind}`}
          initialValues={{ position: 'post', mode: 'or' }}
          onFinish={() => void confirm()}
        >
          {t(`dialog.${kind}.hint`, { defaultValue: '' }) !== '' && <p>{t(`dialog.${kind}.hint`)}</p>}
          {(kind === 'approve' || kind === 'reject') && (
            <Form.Item
              name="opinion"
              label={t('dialog.opinion')}
              rules={kind === 'reject' ? required(t('dialog.opinion_required')) : [{ max: 2000 }]}
            >
              <Input.TextArea rows={3} maxLength={2000} showCount autoFocus />
            </Form.Item>
          )}
          {kind === 'transfer' && (
            <>
              <Form.Item
                name="to_user_id"
                label={t('dialog.transfer.to')}
                rules={[{ required: true, message: t('dialog.person_required') }]}
              >
                <PersonPicker known={known} exclude={[me]} />
              </Form.Item>
              <Form.Item name="remark" label={t('dialog.remark')}>
                <Input.TextArea rows={2} maxLength={500} />
              </Form.Item>
            </>
          )}
          {kind === 'add-sign' && (
            <>
              <Form.Item
                name="user_ids"
                label={t('dialog.add-sign.people')}
                rules={[{ required: true, message: t('dialog.person_required') }]}
              >
                <PersonPicker multiple known={known} exclude={[me]} />
              </Form.Item>
              <Form.Item name="position" label={t('dialog.add-sign.position')}>
                <Radio.Group
                  onChange={(e) => {
                    setPosition(e.target.value as Values['position']);
                  }}
                  options={(['pre', 'parallel', 'post'] as const).map((p) => ({
                    value: p,
                    label: t(`dialog.add-sign.position_${p}`),
                  }))}
                />
              </Form.Item>
              {position !== 'parallel' ? (
                <Form.Item name="mode" label={t('dialog.add-sign.mode')}>
                  <Radio.Group
                    options={(['or', 'and'] as const).map((m) => ({
                      value: m,
                      label: t(`dialog.add-sign.mode_${m}`),
                    }))}
                  />
                </Form.Item>
              ) : (
                <p>{t('dialog.add-sign.parallel_is_and')}</p>
              )}
              <Form.Item name="remark" label={t('dialog.remark')}>
                <Input.TextArea rows={2} maxLength={500} />
              </Form.Item>
            </>
          )}
          {kind === 'return' && (
            <>
              <Form.Item
                name="target_node_id"
                label={t('dialog.return.target')}
                rules={[{ required: true, message: t('dialog.return.target_required') }]}
              >
                <Select
                  options={(task?.return_targets ?? []).map((n) => ({
                    value: n.node_id,
                    label: localized(n.name, i18n.language),
                  }))}
                  placeholder={t('dialog.return.target_placeholder')}
                />
              </Form.Item>
              <Form.Item name="reason" label={t('dialog.reason')}>
                <Input.TextArea rows={2} maxLength={500} />
              </Form.Item>
            </>
          )}
          {(kind === 'withdraw' || kind === 'revoke') && (
            <Form.Item name="reason" label={t('dialog.reason')}>
              <Input.TextArea rows={3} maxLength={500} autoFocus />
            </Form.Item>
          )}
          {kind === 'comment' && (
            <>
              <Form.Item
                name="text"
                label={t('dialog.comment.text')}
                rules={required(t('dialog.comment.text_required'))}
              >
                <MentionsInput
                  onMention={(person) => {
                    setMentioned((m) => ({ ...m, [person.user_id]: person }));
                    const ids = form.getFieldValue('mention_user_ids') as string[] | undefined;
                    if (!ids?.includes(person.user_id))
                      form.setFieldValue('mention_user_ids', [...(ids ?? []), person.user_id]);
                  }}
                />
              </Form.Item>
              <Form.Item
                name="mention_user_ids"
                label={t('dialog.comment.mentions')}
                extra={t('dialog.comment.mentions_hint')}
              >
                <PersonPicker multiple known={{ ...known, ...mentioned }} />
              </Form.Item>
              <Form.Item name="files" label={t('dialog.comment.files')}>
                <FileUpload multiple buttonLabel={t('dialog.comment.attach')} />
              </Form.Item>
            </>
          )}
          {unchecked && <Alert type="warning" showIcon role="alert" title={t('common:formNotChecked')} />}
          {error !== null && error !== undefined && (
            <Alert type="error" showIcon role="alert" title={describeError(t, error)} />
          )}
          <button type="submit" hidden aria-hidden tabIndex={-1} />
        </Form>
      )}
    </Modal>
  );
}
