import { useState } from 'react';
import { Alert, Button, Empty, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImpactStep, ImpactedProcess } from '@contract';
import { describeError } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { localized } from '../../../lib/language';
import { NativeSelect } from '../../../components/NativeSelect';
import type { DraftEditor } from '../flows/draftEditor';
import { usePublishImpact } from './queries';
import './simulation.css';

const LAST_CHOICES = [20, 100, 500, 1000] as const;

/**
 * Shown in the publish dialog: the last N processes of the flow replayed through the document being
 * published, listing those that would take another path (old path beside the new one).
 */
export default function PublishImpact({ editor }: { editor: DraftEditor }) {
  const { t, i18n } = useTranslation(['consoleSim', 'errors']);
  const [last, setLast] = useState<number>(100);
  const impact = usePublishImpact(editor.flowId);
  if (editor.readOnly) return null;
  const language = i18n.language;

  const path = (steps: ImpactStep[]) =>
    steps.length === 0 ? (
      <Typography.Text type="secondary">{t('impact.noSteps')}</Typography.Text>
    ) : (
      <ol>
        {steps.map((s) => (
          <li key={s.node_id}>
            <strong>{localized(s.name, language)}</strong>
            {t('colon')}
            {s.assignees.length > 0
              ? s.assignees.map((p) => localized(p.name, language)).join(t('listSeparator'))
              : t('nobody')}
            {s.fallback && (
              <Tag className="pf-sim-tag pf-sim-tag-warn" style={{ marginLeft: 4 }}>
                {t(s.fallback === 'to_admins' ? 'flag.toAdmins' : 'flag.autoPass')}
              </Tag>
            )}
            {s.refused && <Tag className="pf-sim-tag pf-sim-tag-danger">{t('flag.refused')}</Tag>}
          </li>
        ))}
      </ol>
    );

  const item = (p: ImpactedProcess) => (
    <li key={p.process_id} className="pf-impact-item">
      <Space wrap size={8}>
        <strong>{localized(p.initiator.name, language)}</strong>
        <Typography.Text type="secondary">
          {t('impact.started', { date: formatDateTime(p.started_at, language) })}
        </Typography.Text>
        <Tag>{t('impact.version', { version: p.version })}</Tag>
        <Typography.Text type="secondary" copyable={{ text: p.process_id }}>
          {p.process_id}
        </Typography.Text>
      </Space>
      <div className="pf-impact-paths">
        <div>
          <h4>{t('impact.before')}</h4>
          {path(p.before)}
        </div>
        <div>
          <h4>{t('impact.after')}</h4>
          {path(p.after)}
        </div>
      </div>
    </li>
  );

  return (
    <section className="pf-impact" aria-labelledby="pf-impact-title">
      <Typography.Title level={4} id="pf-impact-title">
        {t('impact.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('impact.intro')}</Typography.Paragraph>
      <Space wrap>
        <label htmlFor="pf-impact-last">{t('impact.last')}</label>
        <NativeSelect
          id="pf-impact-last"
          value={String(last)}
          onValueChange={(value) => {
            setLast(Number(value));
          }}
          options={LAST_CHOICES.map((n) => ({ value: String(n), label: t('impact.lastN', { count: n }) }))}
        />
        <Button
          loading={impact.isPending}
          onClick={() => {
            impact.mutate({ last, document: editor.document });
          }}
        >
          {t('impact.run')}
        </Button>
      </Space>
      {impact.isError && (
        <Alert type="error" showIcon style={{ marginTop: 12 }} title={describeError(t, impact.error)} />
      )}
      {impact.data &&
        (impact.data.changed.length === 0 ? (
          <Empty
            style={{ marginTop: 12 }}
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={t('impact.none', { count: impact.data.compared })}
          />
        ) : (
          <>
            <Typography.Paragraph style={{ marginTop: 12 }} role="status">
              {t('impact.changed', { count: impact.data.changed.length, compared: impact.data.compared })}
            </Typography.Paragraph>
            <ul className="pf-impact-list">{impact.data.changed.map(item)}</ul>
          </>
        ))}
    </section>
  );
}
