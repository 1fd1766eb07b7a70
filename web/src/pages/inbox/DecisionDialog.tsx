import { useState } from 'react';
import { Alert, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { InboxItem } from '@contract';
import { describeError } from '../../lib/errors';
import { localized } from '../../lib/language';
import { validateForConfirm } from '../../lib/validation';

export type Decision = 'approve' | 'reject';

/**
 * Approve (opinion optional) or reject (opinion required) one to-do from the list, confirmed with
 * "Confirm". When the server refuses, the dialog stays open with the message and the typed opinion.
 */
export default function DecisionDialog({
  item,
  decision,
  onClose,
  onDecide,
}: {
  item: InboxItem;
  decision: Decision;
  onClose: () => void;
  onDecide: (item: InboxItem, opinion: string) => Promise<void>;
}) {
  const { t, i18n } = useTranslation(['inbox', 'common', 'errors']);
  const [form] = Form.useForm<{ opinion?: string }>();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // A Confirm whose check of the form did not finish (and no field says why): the dialog says so.
  const [unchecked, setUnchecked] = useState(false);
  const names = {
    flow: localized(item.flow.name, i18n.language),
    name: localized(item.initiator.name, i18n.language),
  };

  const submit = async () => {
    setUnchecked(false);
    const checked = await validateForConfirm(form);
    if (!checked.ok) {
      // A field in error shows it beside the field; anything else must be said here.
      if (!checked.shown) setUnchecked(true);
      return;
    }
    const opinion = (checked.values.opinion ?? '').trim();
    setPending(true);
    setError(null);
    try {
      await onDecide(item, opinion);
      onClose();
    } catch (caught) {
      setError(caught);
    } finally {
      setPending(false);
    }
  };

  return (
    <Modal
      open
      title={t(decision === 'reject' ? 'rejectTitle' : 'approveTitle', names)}
      okText={t('common:confirm')}
      cancelText={t('common:cancel')}
      okButtonProps={{ danger: decision === 'reject', loading: pending }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {unchecked && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          title={t('common:formNotChecked')}
          className="pf-dialog-alert"
        />
      )}
      {error !== null && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={describeError(t, error)}
          className="pf-dialog-alert"
        />
      )}
      <Form form={form} layout="vertical" requiredMark={decision === 'reject'}>
        <Form.Item
          name="opinion"
          label={t('opinion')}
          rules={
            decision === 'reject' ? [{ required: true, whitespace: true, message: t('opinionRequired') }] : []
          }
        >
          <Input.TextArea
            autoFocus
            rows={4}
            maxLength={2000}
            placeholder={t(decision === 'reject' ? 'opinionPlaceholder' : 'opinionOptional')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
