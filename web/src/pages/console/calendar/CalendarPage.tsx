import { useId, useMemo, useState, type ReactNode } from 'react';
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Checkbox,
  DatePicker,
  Input,
  Skeleton,
  Tag,
  Typography,
} from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { WorkCalendar } from '../../../api/timers';
import { useMe } from '../../../app/me';
import { Problem } from '../../../components/Problem';
import DateRangePicker from '../../../components/filters/DateRangePicker';
import {
  calendarToSend,
  COMMON_TIME_ZONES,
  localCalendarProblems,
  placeCalendarViolations,
  unixMsToIso,
  violationsOf,
} from '../../../lib/calendar';
import { DAY_FORMAT, dayValue } from '../../../lib/dateRange';
import { describeError } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { durationText, workdayMinutes } from '../../../lib/timers';
import { useSaveWorkCalendar, useWorkCalendar } from './queries';
import './calendar.css';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const MAX_PERIODS = 6;

/** The tenant's working calendar (tenant admins): node timers count only the working time in it. */
export default function CalendarPage() {
  const { t } = useTranslation(['consoleTimers', 'errors']);
  const me = useMe();
  const view = useWorkCalendar();
  if (!me.console.tenant_admin)
    return <Problem title={t('calendar.adminsOnlyTitle')} text={t('calendar.adminsOnlyText')} />;
  if (view.isPending) return <Skeleton active />;
  if (view.isError) return <Problem title={t('calendar.loadFailed')} text={describeError(t, view.error)} />;
  return (
    <CalendarEditor
      key={view.data.updated_at ?? 'default'}
      saved={view.data.calendar}
      isDefault={view.data.is_default}
      updatedAt={view.data.updated_at}
    />
  );
}

function CalendarEditor({
  saved,
  isDefault,
  updatedAt,
}: {
  saved: WorkCalendar;
  isDefault: boolean;
  updatedAt: string | null;
}) {
  const { t, i18n } = useTranslation(['consoleTimers', 'errors']);
  const lang = i18n.language;
  const id = useId();
  const { message } = App.useApp();
  const save = useSaveWorkCalendar();
  const [draft, setDraft] = useState<WorkCalendar | null>(null);
  const [checked, setChecked] = useState(false);
  const calendar = draft ?? saved;
  const edit = (recipe: (c: WorkCalendar) => WorkCalendar) => {
    setDraft(recipe(calendar));
  };

  // The page's own checks once a save was tried; the server's answer to the last save beside them.
  const local = checked ? localCalendarProblems(calendar) : [];
  const placed = useMemo(
    () => placeCalendarViolations(violationsOf(save.error), calendar),
    [save.error, calendar],
  );
  const problemsAt = (field: string): string[] => [
    ...local.filter((p) => p.field === field).map((p) => t(`calendar.local.${p.description}`)),
    ...(placed.byField.get(field) ?? []),
  ];

  const submit = () => {
    setChecked(true);
    if (localCalendarProblems(calendar).length > 0) {
      void message.error(t('calendar.fixFirst'));
      return;
    }
    save.mutate(calendarToSend(calendar), {
      onSuccess: () => {
        setDraft(null);
        setChecked(false);
        void message.success(t('calendar.saved'));
      },
    });
  };

  const zoneOptions = COMMON_TIME_ZONES.filter((zone) =>
    zone.toLowerCase().includes(calendar.time_zone.trim().toLowerCase()),
  ).map((zone) => ({ value: zone }));
  const day = workdayMinutes(calendar.hours);
  const updated = unixMsToIso(updatedAt);

  return (
    <div className="pf-calendar">
      <div className="pf-calendar-head">
        <h1 className="pf-page-title">{t('calendar.title')}</h1>
        {isDefault && <Tag>{t('calendar.default')}</Tag>}
        {updated && (
          <Typography.Text type="secondary">
            {t('calendar.updatedAt', { time: formatDateTime(updated, lang) })}
          </Typography.Text>
        )}
      </div>
      <Typography.Paragraph type="secondary">{t('calendar.intro')}</Typography.Paragraph>

      {save.isError && (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          title={describeError(t, save.error)}
          description={
            placed.elsewhere.length > 0 ? (
              <ul className="pf-calendar-elsewhere">
                {placed.elsewhere.map((v) => (
                  <li key={`${v.field}:${v.description}`}>
                    <code>{v.field}</code>: {v.description}
                  </li>
                ))}
              </ul>
            ) : undefined
          }
        />
      )}

      <Block
        id={`${id}-zone`}
        title={t('calendar.timeZone')}
        problems={problemsAt('time_zone')}
        render={(describedBy, invalid) => (
          <AutoComplete
            id={`${id}-zone`}
            className="pf-calendar-zone"
            value={calendar.time_zone}
            options={zoneOptions}
            status={invalid ? 'error' : undefined}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            placeholder="Asia/Shanghai"
            onChange={(value: string) => {
              edit((c) => ({ ...c, time_zone: value }));
            }}
          />
        )}
      >
        <Typography.Text type="secondary" className="pf-calendar-help">
          {t('calendar.timeZoneHelp')}
        </Typography.Text>
      </Block>

      <Block
        id={`${id}-days`}
        title={t('calendar.workDays')}
        problems={problemsAt('work_days')}
        group
        render={(describedBy) => (
          <Checkbox.Group
            value={calendar.work_days}
            aria-describedby={describedBy}
            onChange={(days) => {
              edit((c) => ({ ...c, work_days: [...days].sort((a, b) => a - b) }));
            }}
            options={WEEKDAYS.map((d) => ({ value: d, label: t(`weekday.${d}`) }))}
          />
        )}
      />

      <Block
        id={`${id}-hours`}
        title={t('calendar.hours')}
        problems={problemsAt('hours')}
        group
        render={() => (
          <>
            <Typography.Text type="secondary" className="pf-calendar-help">
              {t('calendar.hoursHelp', { day: durationText(day, Number.MAX_SAFE_INTEGER, t) })}
            </Typography.Text>
            {calendar.hours.map((period, i) => {
              const rowProblems = problemsAt(`hours[${i}]`);
              const startProblems = problemsAt(`hours[${i}].start`);
              const endProblems = problemsAt(`hours[${i}].end`);
              const all = [...rowProblems, ...startProblems, ...endProblems];
              const problemId = `${id}-hours-${i}-problem`;
              const setPeriod = (patch: Partial<typeof period>) => {
                edit((c) => ({ ...c, hours: c.hours.map((p, j) => (j === i ? { ...p, ...patch } : p)) }));
              };
              return (
                <div
                  key={i}
                  className="pf-calendar-row"
                  role="group"
                  aria-label={t('calendar.periodN', { n: i + 1 })}
                >
                  <Input
                    aria-label={t('calendar.periodStart', { n: i + 1 })}
                    value={period.start}
                    maxLength={5}
                    inputMode="numeric"
                    placeholder="09:00"
                    className="pf-calendar-time"
                    status={startProblems.length + rowProblems.length > 0 ? 'error' : undefined}
                    aria-invalid={startProblems.length + rowProblems.length > 0 || undefined}
                    aria-describedby={all.length > 0 ? problemId : undefined}
                    onChange={(e) => {
                      setPeriod({ start: e.target.value });
                    }}
                  />
                  <span aria-hidden>–</span>
                  <Input
                    aria-label={t('calendar.periodEnd', { n: i + 1 })}
                    value={period.end}
                    maxLength={5}
                    inputMode="numeric"
                    placeholder="18:00"
                    className="pf-calendar-time"
                    status={endProblems.length + rowProblems.length > 0 ? 'error' : undefined}
                    aria-invalid={endProblems.length + rowProblems.length > 0 || undefined}
                    aria-describedby={all.length > 0 ? problemId : undefined}
                    onChange={(e) => {
                      setPeriod({ end: e.target.value });
                    }}
                  />
                  <RemoveButton
                    label={t('calendar.removePeriod', { n: i + 1 })}
                    onClick={() => {
                      edit((c) => ({ ...c, hours: c.hours.filter((_, j) => j !== i) }));
                    }}
                  />
                  <RowProblems id={problemId} problems={all} />
                </div>
              );
            })}
            <Button
              icon={<PlusOutlined aria-hidden />}
              disabled={calendar.hours.length >= MAX_PERIODS}
              onClick={() => {
                edit((c) => ({ ...c, hours: [...c.hours, nextPeriod(c)] }));
              }}
            >
              {t('calendar.addPeriod')}
            </Button>
          </>
        )}
      />

      <Block
        id={`${id}-holidays`}
        title={t('calendar.holidays')}
        problems={problemsAt('holidays')}
        group
        render={() => (
          <>
            <Typography.Text type="secondary" className="pf-calendar-help">
              {t('calendar.holidaysHelp')}
            </Typography.Text>
            {calendar.holidays.map((holiday, i) => {
              const rangeProblems = problemsAt(`holidays[${i}]`);
              const nameProblems = problemsAt(`holidays[${i}].name`);
              const all = [...rangeProblems, ...nameProblems];
              const setHoliday = (patch: Partial<typeof holiday>) => {
                edit((c) => ({
                  ...c,
                  holidays: c.holidays.map((h, j) => (j === i ? { ...h, ...patch } : h)),
                }));
              };
              return (
                <div key={i} className="pf-calendar-row">
                  <DateRangePicker
                    label={t('calendar.holidayN', { n: i + 1 })}
                    startLabel={t('calendar.holidayStart', { n: i + 1 })}
                    endLabel={t('calendar.holidayEnd', { n: i + 1 })}
                    from={holiday.start}
                    to={holiday.end}
                    className={rangeProblems.length > 0 ? 'pf-calendar-invalid' : undefined}
                    onChange={({ from, to }) => {
                      setHoliday({ start: from, end: to || from });
                    }}
                  />
                  <Input
                    aria-label={t('calendar.holidayName', { n: i + 1 })}
                    placeholder={t('calendar.holidayNamePlaceholder')}
                    value={holiday.name ?? ''}
                    maxLength={100}
                    className="pf-calendar-name"
                    status={nameProblems.length > 0 ? 'error' : undefined}
                    aria-invalid={nameProblems.length > 0 || undefined}
                    onChange={(e) => {
                      setHoliday({ name: e.target.value });
                    }}
                  />
                  <RemoveButton
                    label={t('calendar.removeHoliday', { n: i + 1 })}
                    onClick={() => {
                      edit((c) => ({ ...c, holidays: c.holidays.filter((_, j) => j !== i) }));
                    }}
                  />
                  <RowProblems id={`${id}-holidays-${i}-problem`} problems={all} />
                </div>
              );
            })}
            <Button
              icon={<PlusOutlined aria-hidden />}
              onClick={() => {
                edit((c) => ({ ...c, holidays: [...c.holidays, { start: '', end: '' }] }));
              }}
            >
              {t('calendar.addHoliday')}
            </Button>
          </>
        )}
      />

      <Block
        id={`${id}-extra`}
        title={t('calendar.extraWorkdays')}
        problems={problemsAt('extra_workdays')}
        group
        render={() => (
          <>
            <Typography.Text type="secondary" className="pf-calendar-help">
              {t('calendar.extraWorkdaysHelp')}
            </Typography.Text>
            {calendar.extra_workdays.map((day, i) => {
              const problems = problemsAt(`extra_workdays[${i}]`);
              const problemId = `${id}-extra-${i}-problem`;
              return (
                <div key={i} className="pf-calendar-row">
                  <DatePicker
                    aria-label={t('calendar.extraWorkdayN', { n: i + 1 })}
                    format={DAY_FORMAT}
                    value={dayValue(day)}
                    status={problems.length > 0 ? 'error' : undefined}
                    aria-invalid={problems.length > 0 || undefined}
                    aria-describedby={problems.length > 0 ? problemId : undefined}
                    onChange={(value) => {
                      const text = value?.isValid() ? value.format(DAY_FORMAT) : '';
                      edit((c) => ({
                        ...c,
                        extra_workdays: c.extra_workdays.map((d, j) => (j === i ? text : d)),
                      }));
                    }}
                  />
                  <RemoveButton
                    label={t('calendar.removeExtraWorkday', { n: i + 1 })}
                    onClick={() => {
                      edit((c) => ({ ...c, extra_workdays: c.extra_workdays.filter((_, j) => j !== i) }));
                    }}
                  />
                  <RowProblems id={problemId} problems={problems} />
                </div>
              );
            })}
            <Button
              icon={<PlusOutlined aria-hidden />}
              onClick={() => {
                edit((c) => ({ ...c, extra_workdays: [...c.extra_workdays, ''] }));
              }}
            >
              {t('calendar.addExtraWorkday')}
            </Button>
          </>
        )}
      />

      <div className="pf-calendar-actions">
        <Button type="primary" loading={save.isPending} onClick={submit}>
          {t('calendar.save')}
        </Button>
        <Button
          disabled={draft === null || save.isPending}
          onClick={() => {
            setDraft(null);
            setChecked(false);
            save.reset();
          }}
        >
          {t('calendar.discard')}
        </Button>
        {draft !== null && (
          <Typography.Text type="secondary" role="status">
            {t('calendar.unsaved')}
          </Typography.Text>
        )}
      </div>
    </div>
  );
}

/** The period after the last one (an hour after it ends), or the morning when there is none. */
function nextPeriod(calendar: WorkCalendar): { start: string; end: string } {
  const last = calendar.hours[calendar.hours.length - 1];
  if (!last) return { start: '09:00', end: '18:00' };
  const match = /^(\d{2}):(\d{2})$/.exec(last.end);
  const hour = match ? Number(match[1]) : 18;
  if (hour >= 22) return { start: '', end: '' };
  const pad = (h: number) => `${String(h).padStart(2, '0')}:00`;
  return { start: pad(hour + 1), end: pad(Math.min(hour + 3, 24)) };
}

/**
 * One part of the calendar: a heading (a legend for a group of controls, a label for one), its
 * controls, and the problems of the part as a whole under it.
 */
function Block({
  id,
  title,
  problems,
  group = false,
  render,
  children,
}: {
  id: string;
  title: string;
  problems: string[];
  group?: boolean;
  render: (describedBy: string | undefined, invalid: boolean) => ReactNode;
  children?: ReactNode;
}) {
  const problemId = `${id}-problem`;
  const describedBy = problems.length > 0 ? problemId : undefined;
  const body = (
    <>
      {render(describedBy, problems.length > 0)}
      {children}
      <RowProblems id={problemId} problems={problems} />
    </>
  );
  return group ? (
    <fieldset className="pf-calendar-block" aria-describedby={describedBy}>
      <legend className="pf-calendar-title">{title}</legend>
      {body}
    </fieldset>
  ) : (
    <div className="pf-calendar-block">
      <label htmlFor={id} className="pf-calendar-title">
        {title}
      </label>
      {body}
    </div>
  );
}

function RowProblems({ id, problems }: { id: string; problems: string[] }) {
  if (problems.length === 0) return null;
  return (
    <div id={id} role="alert" className="pf-calendar-problem">
      {problems.map((p) => (
        <Typography.Text key={p} type="danger">
          {p}
        </Typography.Text>
      ))}
    </div>
  );
}

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <Button type="text" danger icon={<DeleteOutlined aria-hidden />} aria-label={label} onClick={onClick} />
  );
}
