import { useId, useMemo } from 'react';
import { AutoComplete, Input, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FlowDocument, PersonRef } from '@contract';
import { PersonPicker } from '../../../components/form/PersonPicker';
import { localized } from '../../../lib/language';
import type { DraftEditor } from './draftEditor';
import { useFlowTemplates } from './queries';
import { useApps } from '../apps/queries';

type Settings = NonNullable<FlowDocument['settings']>;

/** The flow's name, business type, process admins and settings (owner: h-flows). */
export default function SettingsPanel({ editor }: { editor: DraftEditor }) {
  const { t, i18n } = useTranslation('consoleFlows');
  const id = useId();
  const templates = useFlowTemplates(true);
  const { document, readOnly } = editor;
  const problemOf = (prefix: string) =>
    editor.problems.find(
      (p) => p.field === prefix || p.field.startsWith(`${prefix}[`) || p.field.startsWith(`${prefix}.`),
    );

  const bizTypes = useMemo(() => {
    const known = (templates.data?.items ?? []).map((item) => ({
      value: item.biz_type,
      label: `${localized(item.biz_type_name, i18n.language)} · ${item.biz_type}`,
    }));
    if (document.biz_type && !known.some((k) => k.value === document.biz_type))
      known.unshift({ value: document.biz_type, label: document.biz_type });
    return known;
  }, [templates.data, document.biz_type, i18n.language]);

  // People the list already knows by name, so chosen admins show names before any search.
  const known = useMemo(() => {
    const byId: Record<string, PersonRef> = {};
    const details = (editor as { detail?: { process_admins?: PersonRef[] } }).detail;
    for (const person of details?.process_admins ?? []) byId[person.user_id] = person;
    return byId;
  }, [editor]);

  // The apps that can sign an HTTP action; only tenant admins may list them, others type the app_id.
  const apps = useApps();
  const appOptions = useMemo(
    () =>
      (apps.data ?? []).map((app) => ({
        value: app.app_id,
        label: `${app.name} · ${app.app_id}${app.event.encrypt_key ? '' : ` (${t('settings.httpActionNoKey')})`}`,
        disabled: !app.event.encrypt_key,
      })),
    [apps.data, t],
  );
  const httpAction = document.http_action;
  const setHttpAction = (next: FlowDocument['http_action'], coalesce?: string) => {
    editor.change((d) => {
      const { http_action: _old, ...rest } = d;
      return next ? { ...rest, http_action: next } : rest;
    }, coalesce);
  };

  const setSetting = (key: keyof Settings, value: boolean) => {
    editor.change((d) => ({ ...d, settings: { ...d.settings, [key]: value } }));
  };

  const field = (
    key: string,
    label: string,
    control: (props: {
      id: string;
      'aria-describedby'?: string;
      'aria-invalid'?: boolean;
    }) => React.ReactNode,
    help?: string,
  ) => {
    const problem = problemOf(key);
    const controlId = `${id}-${key}`;
    const describedBy = [help ? `${controlId}-help` : '', problem ? `${controlId}-problem` : '']
      .filter(Boolean)
      .join(' ');
    return (
      <div className="pf-flow-setting">
        <label htmlFor={controlId} className="pf-flow-setting-label">
          {label}
        </label>
        {control({
          id: controlId,
          ...(describedBy ? { 'aria-describedby': describedBy } : {}),
          ...(problem ? { 'aria-invalid': true } : {}),
        })}
        {help && (
          <p id={`${controlId}-help`} className="pf-flow-setting-help">
            {help}
          </p>
        )}
        {problem && (
          <p id={`${controlId}-problem`} className="pf-flow-setting-problem" role="alert">
            {problem.description}
          </p>
        )}
      </div>
    );
  };

  return (
    <section className="pf-flow-settings" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="pf-visually-hidden">
        {t('settings.title')}
      </h2>
      {field('name.zh_cn', t('settings.nameZh'), (props) => (
        <Input
          {...props}
          value={document.name.zh_cn}
          maxLength={200}
          disabled={readOnly}
          status={problemOf('name') ? 'error' : undefined}
          onChange={(e) => {
            const value = e.target.value;
            editor.change((d) => ({ ...d, name: { ...d.name, zh_cn: value } }), 'name.zh_cn');
          }}
        />
      ))}
      {field('name.en_us', t('settings.nameEn'), (props) => (
        <Input
          {...props}
          value={document.name.en_us}
          maxLength={200}
          disabled={readOnly}
          onChange={(e) => {
            const value = e.target.value;
            editor.change((d) => ({ ...d, name: { ...d.name, en_us: value } }), 'name.en_us');
          }}
        />
      ))}
      {field(
        'biz_type',
        t('settings.bizType'),
        (props) => (
          <Select
            id={props.id}
            aria-describedby={props['aria-describedby']}
            aria-invalid={props['aria-invalid']}
            value={document.biz_type}
            options={bizTypes}
            loading={templates.isPending}
            disabled={readOnly}
            showSearch={{ optionFilterProp: 'label' }}
            onChange={(value: string) => {
              editor.change((d) => ({ ...d, biz_type: value }));
            }}
            style={{ width: '100%' }}
          />
        ),
        t('settings.bizTypeHelp'),
      )}
      {field(
        'process_admins',
        t('settings.processAdmins'),
        (props) => (
          <PersonPicker
            id={props.id}
            aria-describedby={props['aria-describedby']}
            aria-invalid={props['aria-invalid']}
            multiple
            known={known}
            value={document.process_admins}
            disabled={readOnly}
            onChange={(value) => {
              const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
              editor.change((d) => ({ ...d, process_admins: list }));
            }}
          />
        ),
        t('settings.processAdminsHelp'),
      )}
      <div className="pf-flow-setting pf-flow-setting-switch">
        <Switch
          id={`${id}-skip`}
          checked={document.settings?.skip_duplicate_approvers ?? false}
          disabled={readOnly}
          aria-describedby={`${id}-skip-help`}
          onChange={(checked) => {
            setSetting('skip_duplicate_approvers', checked);
          }}
        />
        <div>
          <label htmlFor={`${id}-skip`} className="pf-flow-setting-label">
            {t('settings.skipDuplicates')}
          </label>
          <p id={`${id}-skip-help`} className="pf-flow-setting-help">
            {t('settings.skipDuplicatesHelp')}
          </p>
        </div>
      </div>
      <div className="pf-flow-setting pf-flow-setting-switch">
        <Switch
          id={`${id}-revoke`}
          checked={document.settings?.revoke_needs_approval ?? false}
          disabled={readOnly}
          aria-describedby={`${id}-revoke-help`}
          onChange={(checked) => {
            setSetting('revoke_needs_approval', checked);
          }}
        />
        <div>
          <label htmlFor={`${id}-revoke`} className="pf-flow-setting-label">
            {t('settings.revokeNeedsApproval')}
          </label>
          <p id={`${id}-revoke-help`} className="pf-flow-setting-help">
            {t('settings.revokeNeedsApprovalHelp')}
          </p>
        </div>
      </div>
      <div className="pf-flow-setting pf-flow-setting-switch">
        <Switch
          id={`${id}-http`}
          checked={httpAction !== undefined}
          disabled={readOnly}
          aria-describedby={`${id}-http-help`}
          onChange={(checked) => {
            setHttpAction(checked ? { url: '', app_id: '', on_revoke: true } : undefined);
          }}
        />
        <div>
          <label htmlFor={`${id}-http`} className="pf-flow-setting-label">
            {t('settings.httpAction')}
          </label>
          <p id={`${id}-http-help`} className="pf-flow-setting-help">
            {t('settings.httpActionHelp')}
          </p>
        </div>
      </div>
      {httpAction && (
        <>
          {field('http_action.url', t('settings.httpActionUrl'), (props) => (
            <Input
              {...props}
              type="url"
              inputMode="url"
              placeholder="https://hr-sync.example.com/peopleflow"
              value={httpAction.url}
              maxLength={2048}
              disabled={readOnly}
              status={problemOf('http_action.url') ? 'error' : undefined}
              onChange={(e) => {
                setHttpAction({ ...httpAction, url: e.target.value.trim() }, 'http_action.url');
              }}
            />
          ))}
          {field(
            'http_action.app_id',
            t('settings.httpActionApp'),
            (props) => (
              <AutoComplete
                id={props.id}
                aria-describedby={props['aria-describedby']}
                aria-invalid={props['aria-invalid']}
                value={httpAction.app_id}
                options={appOptions}
                disabled={readOnly}
                status={problemOf('http_action.app_id') ? 'error' : undefined}
                placeholder="cli_…"
                onChange={(value: string) => {
                  setHttpAction({ ...httpAction, app_id: value.trim() }, 'http_action.app_id');
                }}
                style={{ width: '100%' }}
              />
            ),
            t('settings.httpActionAppHelp'),
          )}
          <div className="pf-flow-setting pf-flow-setting-switch">
            <Switch
              id={`${id}-http-revoke`}
              checked={httpAction.on_revoke ?? true}
              disabled={readOnly}
              onChange={(checked) => {
                setHttpAction({ ...httpAction, on_revoke: checked });
              }}
            />
            <div>
              <label htmlFor={`${id}-http-revoke`} className="pf-flow-setting-label">
                {t('settings.httpActionOnRevoke')}
              </label>
            </div>
          </div>
        </>
      )}
    </section>
  );
}
