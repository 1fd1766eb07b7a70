import { Alert, Card, Table, Tag, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ActionPreview } from '../../api/timers';
import { changeFieldLabel } from '../../lib/actionPreview';
import { formatDate } from '../../lib/format';
import { localized } from '../../lib/language';
import { useActionPreview } from './timerQueries';

type Change = ActionPreview['changes'][number];

/**
 * Whether the card has something to say: a problem the action would meet, or changes this person may
 * see. A request whose approval changes no record (a leave type nobody tracks) gets no card: it would
 * only say so.
 */
const hasSomethingToSay = (data: ActionPreview | undefined): data is ActionPreview =>
  data !== undefined && (Boolean(data.problem) || (data.available && data.changes.length > 0));

/** Whether OnApprovalCard shows (the same query as the card's: no second request). */
export function useOnApprovalShown(processId: string, enabled: boolean): boolean {
  const data = useActionPreview(processId, enabled).data;
  return enabled && hasSomethingToSay(data);
}

/**
 * "On approval": the employee record changes the approval will make (the flow's business action),
 * before → after. Left out when there is nothing to say (no action, or the server shows this person
 * none); a problem the action would meet is said instead.
 */
export function OnApprovalCard({ processId, enabled }: { processId: string; enabled: boolean }) {
  const { t, i18n } = useTranslation('onApproval');
  const lang = i18n.language;
  const preview = useActionPreview(processId, enabled);
  const data = preview.data;
  if (!enabled || !hasSomethingToSay(data)) return null;
  const value = (text: string | null) =>
    text === null || text === '' ? (
      <Typography.Text type="secondary">{t('on_approval.empty')}</Typography.Text>
    ) : (
      text
    );

  return (
    <Card title={t('on_approval.title')} className="pf-on-approval">
      {data.problem && (
        <Alert type="warning" showIcon title={t('on_approval.problem')} description={data.problem} />
      )}
      {data.available && (
        <>
          <Typography.Paragraph style={{ marginTop: data.problem ? 12 : 0 }}>
            {data.employee
              ? t('on_approval.intro_employee', { name: localized(data.employee.name, lang) })
              : t('on_approval.intro')}
          </Typography.Paragraph>
          {data.effective_date && (
            <Typography.Paragraph>
              {t('on_approval.effective', { date: formatDate(data.effective_date, lang) })}
            </Typography.Paragraph>
          )}
          {data.changes.length === 0 ? (
            <Typography.Text type="secondary">{t('on_approval.no_changes')}</Typography.Text>
          ) : (
            // Scrolls sideways in its own box on a phone; focusable, so the keyboard can scroll it too.
            <div
              className="pf-on-approval-scroll"
              role="region"
              aria-label={t('on_approval.title')}
              tabIndex={0}
            >
              <Table<Change>
                rowKey="field"
                size="small"
                pagination={false}
                dataSource={data.changes}
                columns={[
                  {
                    key: 'field',
                    title: t('on_approval.field_column'),
                    render: (_, change) => {
                      const label = changeFieldLabel(
                        change.field,
                        change.label && localized(change.label, lang),
                      );
                      return (
                        <span>
                          {t(label.key, label.values)}
                          {change.sensitive && (
                            <Tag icon={<LockOutlined aria-hidden />} className="pf-on-approval-sensitive">
                              {t('on_approval.sensitive')}
                            </Tag>
                          )}
                        </span>
                      );
                    },
                  },
                  {
                    key: 'before',
                    title: t('on_approval.before'),
                    render: (_, change) => value(change.before),
                  },
                  {
                    key: 'after',
                    title: (
                      <span>
                        <span aria-hidden>→ </span>
                        {t('on_approval.after')}
                      </span>
                    ),
                    render: (_, change) => <strong>{value(change.after)}</strong>,
                  },
                ]}
              />
            </div>
          )}
        </>
      )}
    </Card>
  );
}
