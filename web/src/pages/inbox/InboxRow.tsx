import { Link } from 'react-router-dom';
import { Checkbox, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { InboxItem, InboxTab } from '@contract';
import { formatDateTime, summaryValue, waitedFor } from '../../lib/format';
import { localized } from '../../lib/language';

export interface InboxRowProps {
  item: InboxItem;
  tab: InboxTab;
  href: string;
  active: boolean;
  selectable: boolean;
  selected: boolean;
  onSelect: (checked: boolean) => void;
  onFocus: () => void;
  linkRef: (element: HTMLAnchorElement | null) => void;
}

/** One request in a list: what, from whom, where it stands, since when; the title links to it. */
export function InboxRow(props: InboxRowProps) {
  const { item, tab } = props;
  const { t, i18n } = useTranslation(['inbox', 'common']);
  const language = i18n.language;
  const flow = localized(item.flow.name, language);
  const person = localized(item.initiator.name, language);
  const waited = item.waiting_since ? waitedFor(item.waiting_since, Date.now()) : undefined;
  return (
    <li
      className={`pf-row${props.active ? ' pf-row-active' : ''}${props.selected ? ' pf-row-selected' : ''}`}
      onFocus={props.onFocus}
      aria-current={props.active ? 'true' : undefined}
    >
      {tab === 'todo' && (
        <div className="pf-row-check">
          {props.selectable && (
            <Checkbox
              checked={props.selected}
              onChange={(event) => {
                props.onSelect(event.target.checked);
              }}
              aria-label={t('select', { flow, name: person })}
            />
          )}
        </div>
      )}
      <div className="pf-row-main">
        <div className="pf-row-title">
          <Link to={props.href} ref={props.linkRef} className="pf-row-link">
            {flow}
          </Link>
          <Tag className={`pf-status pf-status-${item.status}`}>{t(`common:status.${item.status}`)}</Tag>
          {item.overdue && <Tag className="pf-status pf-status-overdue">{t('overdueTag')}</Tag>}
        </div>
        <div className="pf-row-meta">
          <span>{t('from', { name: person })}</span>
          {item.node_name && <span>{t('node', { name: localized(item.node_name, language) })}</span>}
          {item.task_status && tab === 'done' && <span>{t(`common:taskStatus.${item.task_status}`)}</span>}
        </div>
        {item.summary.length > 0 && (
          <dl className="pf-row-summary">
            {item.summary.slice(0, 3).map((line, index) => (
              <div key={index} className="pf-row-summary-line">
                <dt>{localized(line.label, language)}</dt>
                <dd>{summaryValue(line, language)}</dd>
              </div>
            ))}
          </dl>
        )}
      </div>
      <div className="pf-row-time">
        {tab === 'todo' && waited ? (
          <time dateTime={item.waiting_since} title={formatDateTime(item.waiting_since, language)}>
            {waited.unit === 'minutes' && waited.count === 0
              ? t('justArrived')
              : t('waitingFor', { duration: t(`common:waited.${waited.unit}`, { count: waited.count }) })}
          </time>
        ) : (
          <time dateTime={item.started_at}>
            {t('startedAt', { date: formatDateTime(item.started_at, language) })}
          </time>
        )}
      </div>
    </li>
  );
}
