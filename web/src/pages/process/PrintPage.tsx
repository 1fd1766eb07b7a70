import { Button, Descriptions, Result, Skeleton, Tag } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { useAppPath } from '../../app/paths';
import { ReadOnlyValue } from '../../components/form/ReadOnlyValue';
import { ProcessTimeline } from '../../components/process/ProcessTimeline';
import { ReadableTheme } from '../../components/process/ReadableTheme';
import { describeError } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { localized } from '../../lib/language';
import { useProcess } from './queries';
import './print.css';

/** /approval-center/processes/:processId/print — the request on paper: no navigation, no actions. */
export default function PrintPage() {
  const { processId } = useParams();
  const { t, i18n } = useTranslation('process');
  const lang = i18n.language;
  const appPath = useAppPath();
  const process = useProcess(processId);
  if (process.isLoading) return <Skeleton active style={{ padding: 24 }} />;
  const detail = process.data;
  if (!detail) {
    const missing = isApiError(process.error, 'process_not_found') || isApiError(process.error, 'not_found');
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? t('not_found') : describeError(t, process.error)}
      />
    );
  }
  return (
    <ReadableTheme>
      <main className="pf-print">
        <div className="pf-print-tools">
          <Link to={appPath(`/approval-center/processes/${encodeURIComponent(detail.process_id)}`)}>
            {t('print_back')}
          </Link>
          <Button
            type="primary"
            icon={<PrinterOutlined aria-hidden />}
            onClick={() => {
              window.print();
            }}
          >
            {t('print_now')}
          </Button>
        </div>
        <h1>{localized(detail.flow.name, lang)}</h1>
        <p className="pf-print-meta">
          <Tag>{t(`common:status.${detail.status}`)}</Tag> {localized(detail.biz_type_name, lang)} ·{' '}
          {t('process_id')} {detail.process_id}
        </p>
        <Descriptions
          size="small"
          bordered
          column={2}
          items={[
            { key: 'initiator', label: t('initiator'), children: localized(detail.initiator.name, lang) },
            {
              key: 'department',
              label: t('department'),
              children: localized(detail.initiator.department?.name, lang) || '—',
            },
            { key: 'started', label: t('started_at'), children: formatDateTime(detail.started_at, lang) },
            {
              key: 'completed',
              label: t('completed_at'),
              children: detail.completed_at ? formatDateTime(detail.completed_at, lang) : '—',
            },
          ]}
        />
        <h2>{t('form_title')}</h2>
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
        <h2>{t('timeline_title')}</h2>
        <ProcessTimeline timeline={detail.timeline} comments={detail.comments} />
        <p className="pf-print-footer">
          {t('printed_at', { time: formatDateTime(new Date().toISOString(), lang) })}
        </p>
      </main>
    </ReadableTheme>
  );
}
