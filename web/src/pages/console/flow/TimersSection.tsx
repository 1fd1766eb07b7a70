import { useId, useState, type ReactNode } from 'react';
import { Checkbox, InputNumber, Radio, Select, Space, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { FlowNode } from '@contract';
import {
  AUTO_ACTIONS,
  ESCALATE_ACTIONS,
  TIMER_LIMITS,
  type ApprovalTimers,
  type AutoAction,
  type EscalateAction,
  type TimerKind,
} from '../../../api/timers';
import { useAppPath } from '../../../app/paths';
import { useMe } from '../../../app/me';
import {
  bestUnit,
  DURATION_UNITS,
  durationText,
  NEW_TIMERS,
  toMinutes,
  timerProblems,
  unitMinutes,
  withTimer,
  workdayMinutes,
  type DurationUnit,
} from '../../../lib/timers';
import type { DraftEditor } from '../flows/draftEditor';
import { useWorkCalendar } from '../calendar/queries';
import './timers.css';

type ApprovalNode = Extract<FlowNode, { type: 'approval' }> & { timers?: ApprovalTimers };

/**
 * An approval node's timers: remind the approver, escalate to their manager, and in the end decide
 * for them. Durations are working time per the tenant calendar, stored in minutes; each edit is one
 * undo step (typing in one box coalesces).
 */
export function TimersSection({ editor, nodeId }: { editor: DraftEditor; nodeId: string }) {
  const { t } = useTranslation('consoleTimers');
  const id = useId();
  const me = useMe();
  const appPath = useAppPath();
  const calendar = useWorkCalendar(me.console.tenant_admin);
  const dayMinutes = workdayMinutes(calendar.data?.calendar.hours);
  const nodeIndex = editor.document.nodes.findIndex((n) => n.id === nodeId);
  const found = editor.document.nodes[nodeIndex];
  if (found?.type !== 'approval') return null;
  const timers = (found as ApprovalNode).timers;
  const problems = timerProblems(editor.problems, nodeId, nodeIndex);
  const problemsAt = (path: string) => problems.get(path) ?? [];
  // Problems of the section or of a whole timer have no input of their own: said at the top.
  const general = [...problems].filter(([path]) => !path.includes('.')).flatMap(([, list]) => list);

  const set = <K extends TimerKind>(kind: K, value: ApprovalTimers[K] | undefined, coalesce?: string) => {
    editor.change(
      (doc) => ({
        ...doc,
        nodes: doc.nodes.map((n) => {
          if (n.id !== nodeId || n.type !== 'approval') return n;
          const next = withTimer((n as ApprovalNode).timers, kind, value);
          const { timers: _old, ...rest } = n as ApprovalNode;
          return (next ? { ...rest, timers: next } : rest) as FlowNode;
        }),
      }),
      coalesce === undefined ? undefined : `timers:${nodeId}:${coalesce}`,
    );
  };
  const { remind, escalate, auto } = timers ?? {};
  const repeats = remind?.every_minutes !== undefined || (remind?.times ?? 1) > 1;

  return (
    <section className="pf-flow-timers" aria-labelledby={`${id}-title`}>
      <Typography.Title level={3} id={`${id}-title`} style={{ fontSize: 16 }}>
        {t('designer.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" className="pf-flow-timers-hint">
        {t('designer.hint', { day: durationText(dayMinutes, Number.MAX_SAFE_INTEGER, t) })}{' '}
        {me.console.tenant_admin && (
          <Link to={appPath('/console/calendar')}>{t('designer.calendarLink')}</Link>
        )}
      </Typography.Paragraph>
      {general.length > 0 && <ProblemText id={`${id}-general`} problems={general} />}

      <div className="pf-flow-timer">
        <Checkbox
          checked={remind !== undefined}
          onChange={(e) => {
            set('remind', e.target.checked ? NEW_TIMERS.remind : undefined);
          }}
        >
          {t('designer.remind')}
        </Checkbox>
        {remind && (
          <div className="pf-flow-timer-body">
            <DurationField
              id={`${id}-remind-after`}
              label={t('designer.after')}
              minutes={remind.after_minutes}
              dayMinutes={dayMinutes}
              problems={problemsAt('remind.after_minutes')}
              onChange={(minutes) => {
                set('remind', { ...remind, after_minutes: minutes }, 'remind.after');
              }}
            />
            <Checkbox
              checked={repeats}
              onChange={(e) => {
                const { every_minutes: _every, times: _times, ...once } = remind;
                set(
                  'remind',
                  e.target.checked ? { ...once, every_minutes: remind.after_minutes, times: 3 } : once,
                );
              }}
            >
              {t('designer.repeat')}
            </Checkbox>
            {repeats && (
              <>
                <DurationField
                  id={`${id}-remind-every`}
                  label={t('designer.every')}
                  minutes={remind.every_minutes ?? 0}
                  dayMinutes={dayMinutes}
                  problems={problemsAt('remind.every_minutes')}
                  onChange={(minutes) => {
                    set('remind', { ...remind, every_minutes: minutes }, 'remind.every');
                  }}
                />
                <Field
                  id={`${id}-remind-times`}
                  label={t('designer.times')}
                  problems={problemsAt('remind.times')}
                  help={t('designer.timesHelp', { max: TIMER_LIMITS.reminders })}
                >
                  {(props) => (
                    <InputNumber
                      {...props}
                      min={1}
                      max={TIMER_LIMITS.reminders}
                      precision={0}
                      value={remind.times ?? 1}
                      onChange={(value) => {
                        if (typeof value === 'number')
                          set('remind', { ...remind, times: value }, 'remind.times');
                      }}
                    />
                  )}
                </Field>
              </>
            )}
          </div>
        )}
      </div>

      <div className="pf-flow-timer">
        <Checkbox
          checked={escalate !== undefined}
          onChange={(e) => {
            set('escalate', e.target.checked ? NEW_TIMERS.escalate : undefined);
          }}
        >
          {t('designer.escalate')}
        </Checkbox>
        {escalate && (
          <div className="pf-flow-timer-body">
            <DurationField
              id={`${id}-escalate-after`}
              label={t('designer.after')}
              minutes={escalate.after_minutes}
              dayMinutes={dayMinutes}
              problems={problemsAt('escalate.after_minutes')}
              onChange={(minutes) => {
                set('escalate', { ...escalate, after_minutes: minutes }, 'escalate.after');
              }}
            />
            <ActionChoice<EscalateAction>
              legend={t('designer.then')}
              value={escalate.action}
              options={ESCALATE_ACTIONS.map((a) => ({ value: a, label: t(`escalateAction.${a}`) }))}
              problems={problemsAt('escalate.action')}
              onChange={(action) => {
                set('escalate', { ...escalate, action });
              }}
            />
          </div>
        )}
      </div>

      <div className="pf-flow-timer">
        <Checkbox
          checked={auto !== undefined}
          onChange={(e) => {
            set('auto', e.target.checked ? NEW_TIMERS.auto : undefined);
          }}
        >
          {t('designer.auto')}
        </Checkbox>
        {auto && (
          <div className="pf-flow-timer-body">
            <DurationField
              id={`${id}-auto-after`}
              label={t('designer.after')}
              minutes={auto.after_minutes}
              dayMinutes={dayMinutes}
              problems={problemsAt('auto.after_minutes')}
              onChange={(minutes) => {
                set('auto', { ...auto, after_minutes: minutes }, 'auto.after');
              }}
            />
            <ActionChoice<AutoAction>
              legend={t('designer.then')}
              value={auto.action}
              options={AUTO_ACTIONS.map((a) => ({ value: a, label: t(`autoAction.${a}`) }))}
              problems={problemsAt('auto.action')}
              onChange={(action) => {
                set('auto', { ...auto, action });
              }}
            />
          </div>
        )}
      </div>
    </section>
  );
}

interface ControlProps {
  id: string;
  status?: 'error';
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}

/** A labelled control with its help and the server's problems under it, tied by aria-describedby. */
function Field({
  id,
  label,
  help,
  problems,
  children,
}: {
  id: string;
  label: string;
  help?: string;
  problems: string[];
  children: (props: ControlProps) => ReactNode;
}) {
  const describedBy = [help ? `${id}-help` : '', problems.length > 0 ? `${id}-problem` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="pf-flow-timer-field">
      <label htmlFor={id} className="pf-flow-timer-label">
        {label}
      </label>
      {children({
        id,
        ...(problems.length > 0 ? { status: 'error' as const, 'aria-invalid': true } : {}),
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      })}
      {help && (
        <Typography.Text type="secondary" id={`${id}-help`} className="pf-flow-timer-help">
          {help}
        </Typography.Text>
      )}
      {problems.length > 0 && <ProblemText id={`${id}-problem`} problems={problems} />}
    </div>
  );
}

function ProblemText({ id, problems }: { id: string; problems: string[] }) {
  return (
    <div id={id} role="alert" className="pf-flow-timer-problem">
      {problems.map((p) => (
        <Typography.Text key={p} type="danger">
          {p}
        </Typography.Text>
      ))}
    </div>
  );
}

/**
 * A working-time duration: an amount and its unit. The unit is the box's own (kept while typing),
 * first the largest one that says the stored minutes exactly; changing it keeps the amount.
 */
function DurationField({
  id,
  label,
  minutes,
  dayMinutes,
  problems,
  onChange,
}: {
  id: string;
  label: string;
  minutes: number;
  dayMinutes: number;
  problems: string[];
  onChange: (minutes: number) => void;
}) {
  const { t } = useTranslation('consoleTimers');
  const [unit, setUnit] = useState<DurationUnit>(() => bestUnit(minutes, dayMinutes).unit);
  const amount = Math.round((minutes / unitMinutes(unit, dayMinutes)) * 100) / 100;
  return (
    <Field
      id={id}
      label={label}
      problems={problems}
      help={minutes > 0 ? t('designer.equals', { text: durationText(minutes, dayMinutes, t) }) : undefined}
    >
      {(props) => (
        <Space.Compact>
          <InputNumber
            {...props}
            min={0}
            step={unit === 'minutes' ? 5 : unit === 'hours' ? 1 : 0.5}
            precision={unit === 'minutes' ? 0 : undefined}
            value={amount}
            style={{ width: 110 }}
            onChange={(value) => {
              const next = toMinutes(value, unit, dayMinutes);
              if (next !== undefined) onChange(next);
            }}
          />
          <Select<DurationUnit>
            aria-label={t('designer.unitOf', { label })}
            value={unit}
            style={{ width: 140 }}
            options={DURATION_UNITS.map((u) => ({ value: u, label: t(`unit.${u}`) }))}
            onChange={(next) => {
              setUnit(next);
              const changed = toMinutes(amount, next, dayMinutes);
              if (changed !== undefined) onChange(changed);
            }}
          />
        </Space.Compact>
      )}
    </Field>
  );
}

function ActionChoice<A extends string>({
  legend,
  value,
  options,
  problems,
  onChange,
}: {
  legend: string;
  value: A;
  options: { value: A; label: string }[];
  problems: string[];
  onChange: (value: A) => void;
}) {
  const id = useId();
  return (
    <fieldset
      className="pf-flow-timer-field"
      aria-describedby={problems.length > 0 ? `${id}-problem` : undefined}
    >
      <legend className="pf-flow-timer-label">{legend}</legend>
      <Radio.Group
        value={value}
        className="pf-flow-timer-actions"
        onChange={(e) => {
          onChange(e.target.value as A);
        }}
        options={options}
      />
      {problems.length > 0 && <ProblemText id={`${id}-problem`} problems={problems} />}
    </fieldset>
  );
}
