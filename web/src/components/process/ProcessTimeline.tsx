import { Space, Tag, Timeline, Typography } from 'antd';
import { CommentOutlined, PaperClipOutlined, RobotOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CommentView, PersonRef, TaskView, TimelineEntry } from '@contract';
import { formatFileSize } from '../../lib/formValues';
import { formatDateTime } from '../../lib/format';
import { localized } from '../../lib/language';
import {
  actionTone,
  buildStory,
  nodeTone,
  orderTasks,
  systemStepTone,
  type StoryItem,
} from '../../lib/timeline';
import { fileUrl } from '../form/queries';
import { TONE_STYLE } from './tones';
import './timeline.css';

const TASK_TONE: Partial<Record<TaskView['status'], keyof typeof TONE_STYLE>> = {
  approved: 'green',
  form_submitted: 'green',
  rejected: 'red',
  in_progress: 'blue',
  rolled_back: 'orange',
};

function Who({ person }: { person: PersonRef | null }) {
  const { t, i18n } = useTranslation('process');
  if (!person) return <Typography.Text strong>{t('timeline.system')}</Typography.Text>;
  return (
    <Typography.Text strong type={person.active ? undefined : 'secondary'}>
      {localized(person.name, i18n.language)}
      {!person.active && ` (${t('timeline.left')})`}
    </Typography.Text>
  );
}

function TaskLine({ task }: { task: TaskView }) {
  const { t, i18n } = useTranslation('process');
  const lang = i18n.language;
  return (
    <li className="pf-task">
      <Space size={[6, 2]} wrap>
        {task.by_system ? <RobotOutlined aria-label={t('timeline.by_system')} /> : null}
        <Who person={task.assignee} />
        <Tag style={TONE_STYLE[TASK_TONE[task.status] ?? 'gray']}>
          {t(`common:taskStatus.${task.status}`)}
        </Tag>
        {task.origin !== 'node' && <Tag>{t(`origin.${task.origin}`, { defaultValue: task.origin })}</Tag>}
        {task.type === 'form_fill' && <Tag>{t('path.kind_form_fill')}</Tag>}
        {task.completed_at && (
          <Typography.Text type="secondary">{formatDateTime(task.completed_at, lang)}</Typography.Text>
        )}
      </Space>
      {task.on_behalf_of && (
        <div>
          <Typography.Text type="secondary">
            {t('timeline.on_behalf_of', { name: localized(task.on_behalf_of.name, lang) })}
          </Typography.Text>
        </div>
      )}
      {task.transferred_to && (
        <div>
          <Typography.Text type="secondary">
            {t('timeline.transferred_to', { name: localized(task.transferred_to.name, lang) })}
          </Typography.Text>
        </div>
      )}
      {task.opinion && <blockquote className="pf-opinion">{task.opinion}</blockquote>}
      {(task.why.en_us || task.why.zh_cn) && (
        <div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('timeline.why')} {localized(task.why, lang)}
          </Typography.Text>
        </div>
      )}
    </li>
  );
}

function NodeItem({ entry }: { entry: Extract<TimelineEntry, { kind: 'node' }> }) {
  const { t, i18n } = useTranslation('process');
  const lang = i18n.language;
  const tasks = orderTasks(entry.tasks);
  return (
    <div>
      <Space size={[6, 2]} wrap>
        <Typography.Text strong>{localized(entry.name, lang)}</Typography.Text>
        <Tag>{t(`nodeStatus.${entry.status}`)}</Tag>
        {entry.mode && tasks.length > 1 && <Tag>{t(`mode.${entry.mode}`, { defaultValue: entry.mode })}</Tag>}
        {entry.auto_passed && <Tag color="default">{t('path.auto_passed')}</Tag>}
      </Space>
      <div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {formatDateTime(entry.started_at, lang)}
          {entry.ended_at && ` – ${formatDateTime(entry.ended_at, lang)}`}
        </Typography.Text>
      </div>
      {tasks.length > 0 && (
        <ul className="pf-tasks">
          {tasks.map((task) => (
            <TaskLine key={task.task_id} task={task} />
          ))}
        </ul>
      )}
      {entry.cc.length > 0 && (
        <Typography.Text type="secondary">
          {t('path.cc_to', {
            names: entry.cc.map((p) => localized(p.name, lang)).join(lang.startsWith('zh') ? '、' : ', '),
          })}
        </Typography.Text>
      )}
    </div>
  );
}

function ActionItem({ entry }: { entry: Extract<TimelineEntry, { kind: 'action' }> }) {
  const { t, i18n } = useTranslation('process');
  const lang = i18n.language;
  return (
    <div>
      <Space size={[6, 2]} wrap>
        <Who person={entry.actor} />
        <Typography.Text>
          {/* The server's detail says it fully ("added Li Lei before themselves, or-sign"); else our label. */}
          {entry.detail && (entry.detail.en_us || entry.detail.zh_cn)
            ? localized(entry.detail, lang)
            : t(`actionDone.${entry.action}`, { defaultValue: entry.action })}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {formatDateTime(entry.at, lang)}
        </Typography.Text>
      </Space>
      {entry.reason && <blockquote className="pf-opinion">{entry.reason}</blockquote>}
    </div>
  );
}

/** A system step after completion: the business action, its compensation or the HTTP action. */
function SystemStepItem({ entry }: { entry: Extract<TimelineEntry, { kind: 'system_step' }> }) {
  const { t, i18n } = useTranslation('process');
  const lang = i18n.language;
  return (
    <div data-testid="system-step">
      <Space size={[6, 2]} wrap>
        <RobotOutlined aria-hidden />
        <Typography.Text strong>{localized(entry.name, lang)}</Typography.Text>
        <Tag style={TONE_STYLE[systemStepTone(entry.status)]}>{t(`systemStep.${entry.status}`)}</Tag>
        {entry.attempts > 1 && (
          <Typography.Text type="secondary">
            {t('systemStep.attempts', { count: entry.attempts })}
          </Typography.Text>
        )}
      </Space>
      <div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {entry.due_at
            ? t('systemStep.due', { at: formatDateTime(entry.due_at, lang) })
            : formatDateTime(entry.ended_at ?? entry.started_at, lang)}
        </Typography.Text>
      </div>
      {entry.error && <blockquote className="pf-opinion">{entry.error}</blockquote>}
    </div>
  );
}

export function CommentItem({ comment }: { comment: CommentView }) {
  const { t, i18n } = useTranslation('process');
  const lang = i18n.language;
  return (
    <div>
      <Space size={[6, 2]} wrap>
        <Who person={comment.author} />
        <Typography.Text>{t('actionDone.comment')}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {formatDateTime(comment.created_at, lang)}
        </Typography.Text>
      </Space>
      <div className="pf-comment-text">{comment.text}</div>
      {comment.mentions.length > 0 && (
        <Typography.Text type="secondary">
          {t('timeline.mentioned', {
            names: comment.mentions.map((p) => `@${localized(p.name, lang)}`).join(' '),
          })}
        </Typography.Text>
      )}
      {comment.files.length > 0 && (
        <ul className="pf-files">
          {comment.files.map((f) => (
            <li key={f.file_id}>
              <PaperClipOutlined aria-hidden />{' '}
              <Typography.Link href={fileUrl(f.file_id)} target="_blank" rel="noopener">
                {f.name}
              </Typography.Link>{' '}
              <Typography.Text type="secondary">{formatFileSize(f.size, lang)}</Typography.Text>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function itemKey(item: StoryItem, i: number): string {
  if (item.kind === 'node') return `n-${item.entry.node_run_id}`;
  if (item.kind === 'comment') return `c-${item.comment.comment_id}`;
  if (item.kind === 'system_step') return `s-${item.entry.job_id}`;
  return `a-${i}`;
}

/** The story of a process: node runs with their tasks, actions and comments, oldest first. */
export function ProcessTimeline({
  timeline,
  comments,
}: {
  timeline: readonly TimelineEntry[];
  comments: readonly CommentView[];
}) {
  const story = buildStory(timeline, comments);
  return (
    <Timeline
      items={story.map((item, i) => ({
        key: itemKey(item, i),
        color:
          item.kind === 'node'
            ? nodeTone(item.entry.status)
            : item.kind === 'action'
              ? actionTone(item.entry.action)
              : item.kind === 'system_step'
                ? systemStepTone(item.entry.status)
                : 'gray',
        icon: item.kind === 'comment' ? <CommentOutlined aria-hidden /> : undefined,
        content:
          item.kind === 'node' ? (
            <NodeItem entry={item.entry} />
          ) : item.kind === 'action' ? (
            <ActionItem entry={item.entry} />
          ) : item.kind === 'system_step' ? (
            <SystemStepItem entry={item.entry} />
          ) : (
            <CommentItem comment={item.comment} />
          ),
      }))}
    />
  );
}
