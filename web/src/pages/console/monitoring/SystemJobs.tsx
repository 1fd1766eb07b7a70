import { Alert, App, Button, Table, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client';
import type { JobStatus, SystemJob } from '../../../api/timers';
import { useAppPath } from '../../../app/paths';
import { unixMsToIso } from '../../../lib/calendar';
import { describeError } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useProcessJobs, useRetryJob } from './jobQueries';
import './jobs.css';

const STATUS_COLOR: Record<JobStatus, string> = {
  pending: 'blue',
  running: 'processing',
  done: 'green',
  failed: 'red',
  cancelled: 'default',
};

type Row = SystemJob & { process_id?: string };

/** The server's own words for a refused retry, under the catalogue's sentence. */
function serverMessage(error: unknown): string | undefined {
  return isApiError(error) && error.code !== 'network' && error.message ? error.message : undefined;
}

/**
 * System jobs as a table: what, its state, when it is due, tries, the last error; a failed one can be
 * retried. With `showProcess`, each row links to its process (the failed-jobs list).
 */
export function JobsTable({
  jobs,
  processId,
  showProcess = false,
  loading = false,
}: {
  jobs: Row[];
  processId?: string;
  showProcess?: boolean;
  loading?: boolean;
}) {
  const { t, i18n } = useTranslation(['consoleTimers', 'errors']);
  const lang = i18n.language;
  const appPath = useAppPath();
  const { message } = App.useApp();
  const retry = useRetryJob();
  const retrying = (job: Row) => retry.isPending && retry.variables.jobId === job.job_id;

  const doRetry = (job: Row) => {
    const owner = job.process_id ?? processId;
    if (!owner) return;
    retry.mutate(
      { processId: owner, jobId: job.job_id },
      {
        onSuccess: () => {
          void message.success(t('jobs.retried'));
        },
      },
    );
  };

  return (
    <>
      {retry.isError && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={describeError(t, retry.error)}
          description={serverMessage(retry.error)}
          style={{ marginBottom: 8 }}
        />
      )}
      <Table<Row>
        rowKey="job_id"
        size="small"
        pagination={false}
        loading={loading}
        scroll={{ x: 860 }}
        dataSource={jobs}
        locale={{ emptyText: showProcess ? t('jobs.noFailed') : t('jobs.none') }}
        expandable={{
          rowExpandable: (job) => job.result !== null || (job.last_error ?? '').length > 80,
          expandedRowRender: (job) => (
            <div className="pf-jobs-detail">
              {job.last_error && (
                <Typography.Paragraph>
                  <strong>{t('jobs.lastError')}: </strong>
                  <Typography.Text type="danger">{job.last_error}</Typography.Text>
                </Typography.Paragraph>
              )}
              {job.result !== null && (
                <>
                  <strong>{t('jobs.result')}</strong>
                  <pre className="pf-jobs-result">{JSON.stringify(job.result, null, 2)}</pre>
                </>
              )}
            </div>
          ),
        }}
        columns={[
          ...(showProcess
            ? [
                {
                  key: 'process',
                  title: t('jobs.process'),
                  render: (_: unknown, job: Row) =>
                    job.process_id ? (
                      <Link to={appPath(`/console/processes/${encodeURIComponent(job.process_id)}`)}>
                        {job.process_id}
                      </Link>
                    ) : (
                      '—'
                    ),
                },
              ]
            : []),
          {
            key: 'kind',
            title: t('jobs.kind'),
            render: (_, job) => (
              <div>
                {t(`jobs.kinds.${job.kind}`)}
                <div>
                  <code className="pf-jobs-key">{job.key}</code>
                </div>
              </div>
            ),
          },
          {
            key: 'status',
            title: t('jobs.status'),
            render: (_, job) => (
              <Tag color={STATUS_COLOR[job.status]}>{t(`jobs.statuses.${job.status}`)}</Tag>
            ),
          },
          {
            key: 'due',
            title: t('jobs.dueAt'),
            render: (_, job) => formatDateTime(unixMsToIso(job.due_at), lang) || '—',
          },
          { key: 'attempts', title: t('jobs.attempts'), dataIndex: 'attempts', align: 'right' },
          {
            key: 'error',
            title: t('jobs.lastError'),
            render: (_, job) =>
              job.last_error ? (
                <Typography.Text type="danger" className="pf-jobs-error" title={job.last_error}>
                  {job.last_error.length > 80 ? `${job.last_error.slice(0, 80)}…` : job.last_error}
                </Typography.Text>
              ) : (
                '—'
              ),
          },
          {
            key: 'actions',
            title: t('jobs.actions'),
            render: (_, job) =>
              job.status === 'failed' ? (
                <Button
                  size="small"
                  icon={<ReloadOutlined aria-hidden />}
                  loading={retrying(job)}
                  disabled={retry.isPending && !retrying(job)}
                  aria-label={t('jobs.retryOne', { key: job.key })}
                  onClick={() => {
                    doRetry(job);
                  }}
                >
                  {t('jobs.retry')}
                </Button>
              ) : null,
          },
        ]}
      />
    </>
  );
}

/** The "System jobs" section of a process's monitoring page; left out where the server has none to show (404). */
export function SystemJobsSection({ processId }: { processId: string }) {
  const { t } = useTranslation(['consoleTimers', 'errors']);
  const jobs = useProcessJobs(processId);
  if (jobs.isError && isApiError(jobs.error) && jobs.error.status === 404) return null;
  return (
    <section className="pf-monitor-section" aria-labelledby="system-jobs-title">
      <Typography.Title level={2} id="system-jobs-title" style={{ fontSize: 18 }}>
        {t('jobs.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('jobs.intro')}</Typography.Paragraph>
      {jobs.isError ? (
        <Alert type="error" showIcon title={describeError(t, jobs.error)} />
      ) : (
        <JobsTable jobs={jobs.data?.items ?? []} processId={processId} loading={jobs.isPending} />
      )}
    </section>
  );
}
