import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAppPath } from '../../../app/paths';
import { RefreshingHint } from '../../../components/RefreshingHint';
import { describeError } from '../../../lib/errors';
import { Pager } from '../../inbox/Pager';
import { JobsTable } from './SystemJobs';
import { useFailedJobs } from './jobQueries';
import './monitoring.css';
import './jobs.css';

/** Every failed system job of the processes the person administers, each with Retry (issue 13). */
export default function FailedJobsPage() {
  const { t } = useTranslation(['consoleTimers', 'consoleMonitor', 'errors']);
  const appPath = useAppPath();
  // tokens[n] fetches page n + 1; page 1 needs none.
  const [tokens, setTokens] = useState<string[]>(['']);
  const page = tokens.length;
  const jobs = useFailedJobs(tokens[page - 1] ?? '');
  const next = jobs.data?.page_token;

  return (
    <div className="pf-monitor">
      <Link to={appPath('/console/processes')}>← {t('consoleMonitor:backToSearch')}</Link>
      <div className="pf-monitor-head">
        <div className="pf-monitor-title">
          <h1 className="pf-page-title">{t('jobs.failedTitle')}</h1>
          <RefreshingHint active={jobs.isFetching && !jobs.isPending} />
        </div>
      </div>
      <Typography.Paragraph type="secondary">{t('jobs.failedIntro')}</Typography.Paragraph>
      {jobs.isError ? (
        <Alert type="error" showIcon role="alert" title={describeError(t, jobs.error)} />
      ) : (
        <JobsTable jobs={jobs.data?.items ?? []} showProcess loading={jobs.isPending} />
      )}
      <Pager
        page={page}
        lastPage={undefined}
        hasNext={Boolean(next)}
        onPage={(to) => {
          if (to < page) setTokens(tokens.slice(0, Math.max(1, to)));
          else if (next) setTokens([...tokens, next]);
        }}
      />
    </div>
  );
}
