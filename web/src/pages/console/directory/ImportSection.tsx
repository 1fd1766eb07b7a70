import { useId, useState } from 'react';
import { Alert, Button, Card, Descriptions, Radio, Space, Table, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ImportKind, ImportReport } from '@contract';
import { ErrorAlert } from './shared';
import { useDirectoryImport } from './queries';

type Problem = ImportReport['problems'][number];

const COLUMNS: Record<ImportKind, string> = {
  departments: 'department_id,name_zh,name_en,parent_department_id,leader_user_id',
  employees: 'user_id,name_zh,name_en,email,department_id,manager_user_id,employment_status',
};

/** The file's bytes as base64, in chunks (a spread of 2 MiB of bytes would overflow the stack). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** CSV import: choose what, pick a file, check it (dry run), then apply it — all rows or none. */
export function ImportSection() {
  const { t } = useTranslation('consoleDirectory');
  const fileId = useId();
  const [kind, setKind] = useState<ImportKind>('employees');
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const run = useDirectoryImport();

  const start = (dryRun: boolean) => {
    if (!file) return;
    run.mutate(
      { kind, content_base64: file.base64, dry_run: dryRun },
      {
        onSuccess: (result) => {
          setReport(result);
        },
        onError: () => {
          setReport(null);
        },
      },
    );
  };
  const reset = () => {
    setReport(null);
    run.reset();
  };
  const checked = report !== null && report.dry_run && report.kind === kind;
  const canApply = checked && report.problems.length === 0 && report.creates + report.updates > 0;
  const encodingProblem = /not UTF-8/.test((run.error as { message?: string } | null)?.message ?? '');

  return (
    <div className="pf-directory-import">
      <Card title={t('import.stepFile')}>
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Radio.Group
            aria-label={t('import.kind')}
            value={kind}
            onChange={(event) => {
              setKind(event.target.value as ImportKind);
              reset();
            }}
            optionType="button"
            options={[
              { value: 'departments', label: t('import.departments') },
              { value: 'employees', label: t('import.employees') },
            ]}
          />
          <p className="pf-directory-hint">
            {t(`import.columnsHint_${kind}`)} <code className="pf-directory-columns">{COLUMNS[kind]}</code>
          </p>
          <div>
            <span id={fileId} className="pf-directory-label">
              {t('import.file')}
            </span>
            <Upload
              accept=".csv,text/csv"
              maxCount={1}
              showUploadList={false}
              beforeUpload={(picked) => {
                reset();
                void picked.arrayBuffer().then((buffer) => {
                  setFile({ name: picked.name, base64: bytesToBase64(new Uint8Array(buffer)) });
                });
                // Read here; nothing is uploaded until Check or Apply.
                return false;
              }}
            >
              <Button icon={<UploadOutlined aria-hidden />} aria-describedby={fileId}>
                {t('import.choose')}
              </Button>
            </Upload>
            <span className="pf-directory-file-name" aria-live="polite">
              {file ? file.name : t('import.noFile')}
            </span>
            <p className="pf-directory-hint">{t('import.fileHint')}</p>
          </div>
          <Space wrap>
            <Button
              disabled={!file}
              loading={run.isPending && run.variables.dry_run}
              onClick={() => {
                start(true);
              }}
            >
              {t('import.check')}
            </Button>
            <Button
              type="primary"
              disabled={!canApply}
              loading={run.isPending && !run.variables.dry_run}
              onClick={() => {
                start(false);
              }}
            >
              {t('import.apply')}
            </Button>
          </Space>
          {!canApply && file && checked && report.problems.length > 0 && (
            <p className="pf-directory-hint">{t('import.applyDisabled')}</p>
          )}
        </Space>
      </Card>

      {run.error &&
        (encodingProblem ? (
          <Alert
            type="error"
            showIcon
            role="alert"
            className="pf-directory-alert"
            title={t('import.notUtf8')}
            description={run.error.message.replace(/^content_base64:\s*/, '')}
          />
        ) : (
          <ErrorAlert error={run.error} />
        ))}

      {report && <ReportView report={report} fileName={file?.name ?? ''} />}
    </div>
  );
}

/** The problem in the page's language (by its code); the server's English for a code this page does not know. */
function problemText(t: TFunction<'consoleDirectory'>, problem: Problem): string {
  const { cycle, allowed, ...params } = problem.params;
  return t(`import.code.${problem.code}`, {
    ...params,
    cycle: (cycle ?? []).join(' → '),
    allowed: (allowed ?? []).join(', '),
    defaultValue: problem.message,
    interpolation: { escapeValue: false },
  });
}

function ReportView({ report, fileName }: { report: ImportReport; fileName: string }) {
  const { t } = useTranslation('consoleDirectory');
  const problems = report.problems.length;
  const title = report.applied
    ? t('import.applied')
    : problems > 0
      ? t('import.problems', { count: problems })
      : report.dry_run
        ? report.creates + report.updates > 0
          ? t('import.ready')
          : t('import.nothingToDo')
        : t('import.nothingToDo');
  return (
    <Card title={t('import.report', { name: fileName })} className="pf-directory-report">
      <Alert
        type={report.applied ? 'success' : problems > 0 ? 'error' : 'info'}
        showIcon
        role={problems > 0 ? 'alert' : 'status'}
        title={title}
        description={!report.applied && problems > 0 ? t('import.nothingApplied') : undefined}
      />
      <Descriptions size="small" column={{ xs: 2, sm: 4 }} className="pf-directory-counts">
        <Descriptions.Item label={t('import.rows')}>{report.rows}</Descriptions.Item>
        <Descriptions.Item label={t('import.creates')}>{report.creates}</Descriptions.Item>
        <Descriptions.Item label={t('import.updates')}>{report.updates}</Descriptions.Item>
        <Descriptions.Item label={t('import.unchanged')}>{report.unchanged}</Descriptions.Item>
      </Descriptions>
      {problems > 0 && (
        <Table<Problem>
          rowKey={(p) => `${p.line}:${p.column ?? ''}:${p.message}`}
          dataSource={report.problems}
          size="small"
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          aria-label={t('import.problemTable')}
          columns={[
            { title: t('import.line'), dataIndex: 'line', key: 'line', width: 80 },
            {
              title: t('import.column'),
              key: 'column',
              width: 180,
              render: (_, p) => (p.column ? <code>{p.column}</code> : t('import.wholeRow')),
            },
            { title: t('import.problem'), key: 'message', render: (_, p) => problemText(t, p) },
          ]}
        />
      )}
    </Card>
  );
}
