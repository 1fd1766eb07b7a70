import { useEffect, useState } from 'react';
import { Alert, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { InboxItem } from '@contract';
import { describeError } from '../../lib/errors';
import { localized } from '../../lib/language';

/** Reject needs an opinion; the dialog stays open (opinion kept) when the server refuses. */
export default function RejectDialog({
  item,
  onClose,
  onReject,
}: {
  item: InboxItem | null;
  onClose: () => void;
  onReject: (item: InboxItem, opinion: string) => Promise<void>;
}) {
  const { t, i18n } = useTranslation(['inbox', 'common', 'errors']);
  const [form] = Form.useForm<{ opinion: string }>();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (item) {
      form.resetFields();
      setError(null);
    }
  }, [item, form]);

  const submit = async () => {
    if (!item) return;
    const { opinion } = await form.validateFields();
    setPending(true);
    setError(null);
    try {
      await onReject(item, opinion.trim());
      onClose();
    } catch (caught) {
      setError(caught);
    } finally {
      setPending(false);
    }
  };

  return (
    <Modal
      open={item !== null}
      title={
        item
          ? t('rejectTitle', {
              flow: localized(item.flow.name, i18n.language),
              name: localized(item.initiator.name, i18n.language),
            })
          : ''
      }
      okText={t('common:confirm')}
      cancelText={t('common:cancel')}
      okButtonProps={{ danger: true, loading: pending }}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
    >
      {error !== null && <Alert type="error" showIcon role="alert" title={describeError(t, error)} />}
      <Form form={form} layout="vertical" requiredMark onFinish={() => void submit()}>
        <Form.Item
          name="opinion"
          label={t('opinion')}
          rules={[{ required: true, whitespace: true, message: t('opinionRequired') }]}
        >
          <Input.TextArea autoFocus rows={4} maxLength={2000} placeholder={t('opinionPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
