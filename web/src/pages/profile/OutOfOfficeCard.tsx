import { useId, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, DatePicker, Form, List, Space, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { DelegationView } from '@contract';
import { useCancelDelegation, useCreateDelegation, useMyDelegations } from '../../api/delegations';
import { useMe } from '../../app/me';
import { PersonPicker } from '../../components/form/PersonPicker';
import { DAY_FORMAT, keepEnterInPicker } from '../../lib/dateRange';
import { describeError, violationsByField } from '../../lib/errors';
import { formatDate } from '../../lib/format';
import { localized } from '../../lib/language';

interface OutOfOfficeValues {
  delegate_user_id?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
  include_existing?: boolean;
  return_on_end?: boolean;
}

const STATUS_COLOR: Record<DelegationView['status'], string> = {
  active: 'green',
  scheduled: 'blue',
  ended: 'default',
  cancelled: 'default',
};

/**
 * Out of office: while the chosen days run, tasks meant for me go to my delegate ("on behalf of" me);
 * my open tasks too, if I ask (at once, or when the first day starts). When it ends or I cancel it,
 * what my delegate still holds for me comes back, unless I say otherwise. The days are whole days in
 * my own time zone: from the start of the first to the end of the last.
 */
export function OutOfOfficeCard() {
  const { t, i18n } = useTranslation(['profile', 'common', 'errors']);
  const lang = i18n.language;
  const { message } = App.useApp();
  const me = useMe();
  const [form] = Form.useForm<OutOfOfficeValues>();
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  const pageToken = pages[pages.length - 1];
  const delegations = useMyDelegations(pageToken);
  const create = useCreateDelegation();
  const cancel = useCancelDelegation();
  const rangeId = useId();
  const errors = violationsByField(create.error);
  const fieldError = (...fields: string[]) => {
    const text = fields.map((f) => errors[f]).find((x) => x !== undefined);
    return text !== undefined ? { validateStatus: 'error' as const, help: text } : {};
  };
  const otherError =
    create.error &&
    !['delegate_user_id', 'start_time', 'end_time', 'include_existing', 'return_on_end'].some(
      (f) => f in errors,
    );

  const submit = (values: OutOfOfficeValues) => {
    const [from, to] = values.range ?? [null, null];
    if (!values.delegate_user_id || !from || !to) return;
    create.mutate(
      {
        delegate_user_id: values.delegate_user_id,
        start_time: from.startOf('day').toISOString(),
        end_time: to.add(1, 'day').startOf('day').toISOString(),
        include_existing: values.include_existing === true,
        return_on_end: values.return_on_end !== false,
      },
      {
        onSuccess: (created) => {
          form.resetFields();
          setPages([undefined]);
          void message.success(
            !values.include_existing
              ? t('outOfOffice.saved')
              : created.status === 'scheduled'
                ? t('outOfOffice.savedHandOverLater')
                : t('outOfOffice.savedWithTasks', { count: created.transferred_tasks }),
          );
        },
      },
    );
  };

  return (
    <Card title={t('outOfOffice.title')} className="pf-profile-card">
      <p className="pf-profile-hint">{t('outOfOffice.hint')}</p>
      <Form<OutOfOfficeValues>
        form={form}
        layout="vertical"
        className="pf-profile-form"
        initialValues={{ return_on_end: true }}
        onFinish={submit}
      >
        {otherError && (
          <Alert
            type="error"
            showIcon
            role="alert"
            className="pf-profile-alert"
            title={describeError(t, create.error)}
          />
        )}
        <Form.Item
          name="delegate_user_id"
          label={t('outOfOffice.delegate')}
          rules={[{ required: true, message: t('outOfOffice.delegateRequired') }]}
          {...fieldError('delegate_user_id')}
        >
          <PersonPicker exclude={[me.person.user_id]} aria-label={t('outOfOffice.delegate')} />
        </Form.Item>
        <Form.Item
          name="range"
          label={t('outOfOffice.days')}
          htmlFor={`${rangeId}-from`}
          rules={[{ required: true, message: t('outOfOffice.daysRequired') }]}
          {...fieldError('start_time', 'end_time')}
        >
          <DatePicker.RangePicker
            id={{ start: `${rangeId}-from`, end: `${rangeId}-to` }}
            format={DAY_FORMAT}
            placeholder={[t('outOfOffice.firstDay'), t('outOfOffice.lastDay')]}
            onKeyDown={keepEnterInPicker}
          />
        </Form.Item>
        <Form.Item name="include_existing" valuePropName="checked" {...fieldError('include_existing')}>
          <Checkbox>{t('outOfOffice.includeExisting')}</Checkbox>
        </Form.Item>
        <Form.Item name="return_on_end" valuePropName="checked" {...fieldError('return_on_end')}>
          <Checkbox>{t('outOfOffice.returnOnEnd')}</Checkbox>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending}>
          {t('outOfOffice.save')}
        </Button>
      </Form>

      <List<DelegationView>
        className="pf-profile-delegations"
        style={{ marginTop: 24 }}
        header={<Typography.Text strong>{t('outOfOffice.listTitle')}</Typography.Text>}
        loading={delegations.isLoading}
        dataSource={delegations.data?.items ?? []}
        locale={{ emptyText: t('outOfOffice.none') }}
        renderItem={(d) => {
          const lastDay = new Date(Date.parse(d.end_time) - 1).toISOString();
          const open = d.status === 'active' || d.status === 'scheduled';
          return (
            <List.Item
              actions={
                open
                  ? [
                      <Button
                        key="cancel"
                        size="small"
                        loading={cancel.isPending && cancel.variables === d.delegation_id}
                        onClick={() => {
                          cancel.mutate(d.delegation_id, {
                            onSuccess: (cancelled) => {
                              if (cancelled.returned_tasks > 0)
                                void message.success(
                                  t('outOfOffice.cancelledWithTasks', { count: cancelled.returned_tasks }),
                                );
                            },
                            onError: (error) => void message.error(describeError(t, error)),
                          });
                        }}
                      >
                        {t('outOfOffice.cancel')}
                      </Button>,
                    ]
                  : []
              }
            >
              <Space size={[6, 2]} wrap>
                <span>{localized(d.delegate.name, lang)}</span>
                <Typography.Text type="secondary">
                  {t('outOfOffice.range', {
                    from: formatDate(d.start_time, lang),
                    to: formatDate(lastDay, lang),
                  })}
                </Typography.Text>
                <Tag color={STATUS_COLOR[d.status]}>{t(`outOfOffice.status.${d.status}`)}</Tag>
                {open && d.include_existing && (
                  <Typography.Text type="secondary">{t('outOfOffice.handsOver')}</Typography.Text>
                )}
                {open && (
                  <Typography.Text type="secondary">
                    {t(d.return_on_end ? 'outOfOffice.givesBack' : 'outOfOffice.keepsTasks')}
                  </Typography.Text>
                )}
              </Space>
            </List.Item>
          );
        }}
      />
      {(pages.length > 1 || delegations.data?.page_token) && (
        <Space>
          <Button
            size="small"
            disabled={pages.length <= 1}
            onClick={() => {
              setPages(pages.slice(0, -1));
            }}
          >
            {t('outOfOffice.previous')}
          </Button>
          <Button
            size="small"
            disabled={!delegations.data?.page_token}
            onClick={() => {
              setPages([...pages, delegations.data?.page_token]);
            }}
          >
            {t('outOfOffice.next')}
          </Button>
        </Space>
      )}
    </Card>
  );
}
