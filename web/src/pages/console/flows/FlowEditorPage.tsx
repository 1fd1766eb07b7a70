import { lazy, Suspense, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Alert, App, Button, Modal, Space, Switch, Tabs, Tag, Tooltip } from 'antd';
import {
  ArrowLeftOutlined,
  CheckOutlined,
  CloudUploadOutlined,
  DownloadOutlined,
  RedoOutlined,
  ReloadOutlined,
  UndoOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client';
import { PageLoading } from '../../../app/Layout';
import { useAppPath } from '../../../app/paths';
import { Problem } from '../../../components/Problem';
import { describeError } from '../../../lib/errors';
import { localized } from '../../../lib/language';
import { formatDateTime } from '../../../lib/format';
import { historyShortcut, isTextEntry } from '../../../lib/draftHistory';
import ProblemsPanel, { type ProblemTab } from './ProblemsPanel';
import { useDraftEditor, type FlowEditorController } from './useDraftEditor';
import { useReturnFocus } from './useReturnFocus';
import './flows.css';

const SettingsPanel = lazy(() => import('./SettingsPanel'));
const VersionsPanel = lazy(() => import('./VersionsPanel'));
const FormDesigner = lazy(() => import('../form/FormDesigner'));
const FlowDesigner = lazy(() => import('../flow/FlowDesigner'));
const SimulationPanel = lazy(() => import('../simulation/SimulationPanel'));
const PublishImpact = lazy(() => import('../simulation/PublishImpact'));

export const EDITOR_TABS = ['settings', 'form', 'flow', 'simulation', 'versions'] as const;
export type EditorTab = (typeof EDITOR_TABS)[number];

/** One flow: the draft editor with its tabs (settings, form, flow, simulation, versions). */
export default function FlowEditorPage() {
  const { flowId = '' } = useParams();
  // A new flow is a new editor: nothing of the previous one's history or save state carries over.
  return <FlowEditor key={flowId} flowId={flowId} />;
}

function FlowEditor({ flowId }: { flowId: string }) {
  const { t } = useTranslation('consoleFlows');
  const params = useParams();
  const navigate = useNavigate();
  const appPath = useAppPath();
  const editor = useDraftEditor(flowId);
  const tab: EditorTab = (EDITOR_TABS as readonly string[]).includes(params.tab ?? '')
    ? (params.tab as EditorTab)
    : 'flow';
  const openTab = (next: EditorTab) => {
    void navigate(appPath(`/console/flows/${encodeURIComponent(flowId)}/${next}`));
  };

  // Undo / redo from the keyboard, except in text fields (they keep their own undo).
  const undo = editor.undo.bind(editor);
  const redo = editor.redo.bind(editor);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTextEntry(event.target)) return;
      const action = historyShortcut(event);
      if (!action) return;
      event.preventDefault();
      if (action === 'undo') undo();
      else redo();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [undo, redo]);

  if (editor.loadError) {
    const notFound = isApiError(editor.loadError, 'not_found');
    return (
      <Problem
        title={notFound ? t('editor.notFound') : t('editor.loadFailed')}
        text={notFound ? t('editor.notFoundText') : describeError(t, editor.loadError)}
        action={<Link to={appPath('/console/flows')}>{t('editor.backToList')}</Link>}
      />
    );
  }
  if (editor.readOnly) return <PageLoading />;

  const tabContent = (key: EditorTab) => {
    switch (key) {
      case 'settings':
        return <SettingsPanel editor={editor} />;
      case 'form':
        return <FormDesigner editor={editor} />;
      case 'flow':
        return <FlowDesigner editor={editor} />;
      case 'simulation':
        return <SimulationPanel editor={editor} />;
      case 'versions':
        return <VersionsPanel editor={editor} />;
    }
  };

  return (
    <div className="pf-flow-editor">
      <EditorHeader editor={editor} />
      {editor.conflict && <ConflictBanner editor={editor} />}
      <div className={`pf-flow-editor-body${tab === 'versions' ? ' pf-flow-editor-body-wide' : ''}`}>
        {/* First in the page's order: on most screens it is the bar above the tabs (flows.css). */}
        {tab !== 'versions' && (
          <aside className="pf-flow-editor-aside" aria-label={t('problems.aside')}>
            <ProblemsPanel
              editor={editor}
              onOpen={(place: ProblemTab) => {
                openTab(place);
              }}
            />
          </aside>
        )}
        <Tabs
          className="pf-flow-editor-tabs"
          activeKey={tab}
          onChange={(key) => {
            openTab(key as EditorTab);
          }}
          items={EDITOR_TABS.map((key) => ({
            key,
            label: t(`tabs.${key}`),
            children: <Suspense fallback={<PageLoading />}>{tabContent(key)}</Suspense>,
          }))}
        />
      </div>
    </div>
  );
}

function SaveState({ editor }: { editor: FlowEditorController }) {
  const { t } = useTranslation('consoleFlows');
  const { state } = editor.save;
  const tone =
    state === 'conflict' || state === 'error' ? 'error' : state === 'saved' ? 'success' : 'processing';
  return (
    <span className="pf-flow-save" role="status" aria-live="polite">
      <Tag className={`pf-flow-save-tag pf-flow-tag-${tone}`}>{t(`save.${state}`)}</Tag>
      {state === 'error' && (
        <>
          <span className="pf-flow-save-error">{describeError(t, editor.save.error)}</span>
          <Button
            size="small"
            icon={<ReloadOutlined aria-hidden />}
            onClick={() => {
              void editor.saveNow();
            }}
          >
            {t('save.retry')}
          </Button>
        </>
      )}
    </span>
  );
}

function EditorHeader({ editor }: { editor: FlowEditorController }) {
  const { t, i18n } = useTranslation('consoleFlows');
  const { message } = App.useApp();
  const appPath = useAppPath();
  const [publishing, setPublishing] = useState(false);
  const [busy, setBusy] = useState(false);
  const { detail } = editor;
  const name = localized(editor.document.name, i18n.language) || t('editor.untitled');
  const version = detail?.latest_version ?? 0;

  const validate = async () => {
    try {
      const problems = await editor.validate();
      if (problems.length === 0) void message.success(t('editor.validOk'));
      else void message.warning(t('editor.validProblems', { count: problems.length }));
    } catch (error) {
      void message.error(describeError(t, error));
    }
  };

  const toggleEnabled = async (enabled: boolean) => {
    setBusy(true);
    try {
      await editor.setEnabled(enabled);
      void message.success(enabled ? t('editor.enabledNow') : t('editor.disabledNow'));
    } catch (error) {
      void message.error(describeError(t, error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <header className="pf-flow-editor-header">
      <div className="pf-flow-editor-title">
        <Link to={appPath('/console/flows')} className="pf-flow-back" aria-label={t('editor.backToList')}>
          <ArrowLeftOutlined aria-hidden />
        </Link>
        <h1>{name}</h1>
        <Space size={4} wrap>
          <Tag>{version > 0 ? t('list.version', { version }) : t('list.neverPublished')}</Tag>
          {editor.hasDraft && <Tag className="pf-flow-tag-draft">{t('list.draft')}</Tag>}
          {detail && !detail.enabled && <Tag>{t('list.disabled')}</Tag>}
        </Space>
        <SaveState editor={editor} />
      </div>
      <div className="pf-flow-editor-actions">
        <Tooltip title={t('editor.undoHint')}>
          <Button
            icon={<UndoOutlined aria-hidden />}
            aria-label={t('editor.undo')}
            disabled={!editor.canUndo}
            onClick={() => {
              editor.undo();
            }}
          />
        </Tooltip>
        <Tooltip title={t('editor.redoHint')}>
          <Button
            icon={<RedoOutlined aria-hidden />}
            aria-label={t('editor.redo')}
            disabled={!editor.canRedo}
            onClick={() => {
              editor.redo();
            }}
          />
        </Tooltip>
        <Button
          icon={<CheckOutlined aria-hidden />}
          onClick={() => {
            void validate();
          }}
        >
          {t('editor.validate')}
        </Button>
        <label className="pf-flow-enabled">
          <Switch
            checked={detail?.enabled ?? true}
            loading={busy}
            onChange={(checked) => {
              void toggleEnabled(checked);
            }}
          />
          <span>{t('editor.enabled')}</span>
        </label>
        <Button
          type="primary"
          icon={<CloudUploadOutlined aria-hidden />}
          disabled={!editor.hasDraft || editor.conflict !== null}
          onClick={() => {
            setPublishing(true);
          }}
        >
          {t('editor.publish')}
        </Button>
      </div>
      {publishing && (
        <PublishDialog
          editor={editor}
          nextVersion={version + 1}
          onClose={() => {
            setPublishing(false);
          }}
        />
      )}
    </header>
  );
}

function PublishDialog({
  editor,
  nextVersion,
  onClose,
}: {
  editor: FlowEditorController;
  nextVersion: number;
  onClose: () => void;
}) {
  useReturnFocus();
  const { t } = useTranslation('consoleFlows');
  const { message } = App.useApp();
  const [working, setWorking] = useState(false);
  const blocked = editor.problems.length > 0;

  const publish = async () => {
    setWorking(true);
    const outcome = await editor.publish();
    setWorking(false);
    if (outcome === 'published') {
      void message.success(t('publish.done', { version: nextVersion }));
      onClose();
    } else if (outcome === 'problems') {
      void message.error(t('publish.refused'));
    } else if (outcome === 'conflict') {
      onClose();
    }
  };

  return (
    <Modal
      open
      title={t('publish.title', { version: nextVersion })}
      okText={t('publish.confirm')}
      cancelText={t('publish.cancel')}
      okButtonProps={{ disabled: blocked, loading: working }}
      onOk={() => {
        void publish();
      }}
      onCancel={onClose}
      width={720}
    >
      {blocked ? (
        <Alert type="error" showIcon title={t('publish.blocked', { count: editor.problems.length })} />
      ) : (
        <p>{t('publish.explain', { version: nextVersion })}</p>
      )}
      {editor.publishError !== undefined && (
        <Alert type="error" showIcon title={describeError(t, editor.publishError)} />
      )}
      <Suspense fallback={<PageLoading />}>
        <PublishImpact editor={editor} />
      </Suspense>
    </Modal>
  );
}

/** Someone else saved first: the local document stays; take theirs or keep a copy of one's own. */
function ConflictBanner({ editor }: { editor: FlowEditorController }) {
  const { t, i18n } = useTranslation('consoleFlows');
  const conflict = editor.conflict;
  if (!conflict) return null;
  const who = conflict.by ? localized(conflict.by.name, i18n.language) : t('conflict.someone');
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      className="pf-flow-conflict"
      title={t('conflict.title')}
      description={
        <>
          <p>
            {conflict.at
              ? t('conflict.textAt', { who, at: formatDateTime(conflict.at, i18n.language) })
              : t('conflict.text', { who })}
          </p>
          <Space wrap>
            <Button
              icon={<DownloadOutlined aria-hidden />}
              onClick={() => {
                editor.downloadMine();
              }}
            >
              {t('conflict.downloadMine')}
            </Button>
            <Button
              type="primary"
              icon={<ReloadOutlined aria-hidden />}
              onClick={() => {
                void editor.reloadTheirs();
              }}
            >
              {t('conflict.reloadTheirs')}
            </Button>
          </Space>
        </>
      }
    />
  );
}
