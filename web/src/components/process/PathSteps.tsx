import { Alert, Space, Steps, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PersonRef, PreviewStep } from '@contract';
import { localized } from '../../lib/language';
import { stepOutcome, visibleSteps } from '../../lib/timeline';

function names(people: readonly PersonRef[], language: string): string {
  return people.map((p) => localized(p.name, language)).join(language.startsWith('zh') ? '、' : ', ');
}

/** One step: who acts (or why nobody does), skipped duplicates, fallbacks, and the rules that chose them. */
function StepBody({ step }: { step: PreviewStep }) {
  const { t, i18n } = useTranslation('process');
  const lang = i18n.language;
  const outcome = stepOutcome(step);
  return (
    <Space orientation="vertical" size={2} style={{ width: '100%' }}>
      {outcome.kind === 'people' && (
        <Typography.Text>
          {step.kind === 'cc'
            ? t('path.cc_to', { names: names(outcome.acting, lang) })
            : names(outcome.acting, lang)}
          {step.mode && step.kind === 'approval' && outcome.acting.length > 1 && (
            <Tag style={{ marginInlineStart: 8 }}>{t(`mode.${step.mode}`, { defaultValue: step.mode })}</Tag>
          )}
        </Typography.Text>
      )}
      {(outcome.kind === 'people' || outcome.kind === 'all_skipped') && outcome.skipped.length > 0 && (
        <Typography.Text type="secondary">
          {t('path.skipped', { names: names(outcome.skipped, lang) })}
        </Typography.Text>
      )}
      {outcome.kind === 'all_skipped' && <Tag color="default">{t('path.auto_passed')}</Tag>}
      {outcome.kind === 'auto_pass' && (
        <Typography.Text type="secondary">{t('path.fallback_auto_pass')}</Typography.Text>
      )}
      {outcome.kind === 'to_admins' && (
        <Typography.Text type="warning">{t('path.fallback_to_admins')}</Typography.Text>
      )}
      {outcome.kind === 'nobody' && <Typography.Text type="danger">{t('path.nobody')}</Typography.Text>}
      {step.reasons.length > 0 && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('path.why')}{' '}
          {step.reasons.map((r) => localized(r, lang)).join(lang.startsWith('zh') ? '；' : '; ')}
        </Typography.Text>
      )}
    </Space>
  );
}

interface Props {
  steps: readonly PreviewStep[];
  blocked?: { node_id: string; name: { zh_cn: string; en_us: string } } | undefined;
  /** The step under way (detail page "upcoming": the first one). */
  currentFirst?: boolean;
}

/** The approval path as vertical steps: the live preview on a new request, "what comes next" on a detail. */
export function PathSteps({ steps, blocked, currentFirst }: Props) {
  const { t, i18n } = useTranslation('process');
  const shown = visibleSteps(steps);
  if (shown.length === 0 && !blocked)
    return <Typography.Text type="secondary">{t('path.empty')}</Typography.Text>;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {blocked && (
        <Alert
          type="error"
          showIcon
          title={t('path.blocked_title')}
          description={t('path.blocked', { node: localized(blocked.name, i18n.language) })}
        />
      )}
      <Steps
        orientation="vertical"
        size="small"
        current={currentFirst ? 0 : -1}
        items={shown.map((step) => {
          const outcome = stepOutcome(step);
          const status =
            blocked?.node_id === step.node_id || outcome.kind === 'nobody'
              ? ('error' as const)
              : outcome.kind === 'all_skipped' || outcome.kind === 'auto_pass'
                ? ('finish' as const)
                : ('wait' as const);
          return {
            key: `${step.node_id}-${step.branch}`,
            title: (
              <span>
                {localized(step.name, i18n.language)}
                {step.kind === 'cc' && <Tag style={{ marginInlineStart: 8 }}>{t('path.kind_cc')}</Tag>}
                {step.kind === 'form_fill' && (
                  <Tag style={{ marginInlineStart: 8 }}>{t('path.kind_form_fill')}</Tag>
                )}
                {step.branch !== '' && (
                  <Tag style={{ marginInlineStart: 8 }}>{t('path.branch', { branch: step.branch })}</Tag>
                )}
              </span>
            ),
            status,
            content: <StepBody step={step} />,
          };
        })}
      />
    </Space>
  );
}
