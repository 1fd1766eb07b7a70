import { Checkbox } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ConsoleAppScope, ConsoleEventType } from '@contract';

export const SCOPES: ConsoleAppScope[] = [
  'corehr:process:readonly',
  'corehr:process',
  'corehr:process.approver',
];

/** Catalogue keys: scope and event type names hold `:` and `.`, which i18next reads as separators. */
const SCOPE_KEYS: Record<ConsoleAppScope, string> = {
  'corehr:process:readonly': 'scope.read',
  'corehr:process': 'scope.write',
  'corehr:process.approver': 'scope.approve',
};

export const EVENT_TYPES: ConsoleEventType[] = [
  'corehr.process.status.update_v2',
  'corehr.process.updated_v2',
  'corehr.process.node.updated_v2',
  'corehr.process.approver.updated_v2',
  'corehr.process.cc.updated_v2',
  'corehr.process_comment_info.updated_v2',
];
const EVENT_TYPE_KEYS: Record<ConsoleEventType, string> = {
  'corehr.process.status.update_v2': 'eventType.status',
  'corehr.process.updated_v2': 'eventType.process',
  'corehr.process.node.updated_v2': 'eventType.node',
  'corehr.process.approver.updated_v2': 'eventType.approver',
  'corehr.process.cc.updated_v2': 'eventType.cc',
  'corehr.process_comment_info.updated_v2': 'eventType.comment',
};

/** The catalogue key of an event type's name; undefined for a type this screen does not know. */
export function eventTypeKey(type: string): string | undefined {
  return (EVENT_TYPE_KEYS as Record<string, string | undefined>)[type];
}

/** The scopes an app may hold, each with what it lets the app do. */
export function ScopesField({
  value,
  onChange,
}: {
  value: ConsoleAppScope[];
  onChange: (scopes: ConsoleAppScope[]) => void;
}) {
  const { t } = useTranslation('consoleApps');
  return (
    <fieldset className="pf-apps-fieldset">
      <legend>{t('scopes')}</legend>
      <Checkbox.Group
        value={value}
        onChange={(next) => {
          onChange(next);
        }}
        className="pf-apps-checks"
        options={SCOPES.map((scope) => ({
          value: scope,
          label: (
            <span>
              <code>{scope}</code> — {t(SCOPE_KEYS[scope])}
            </span>
          ),
        }))}
      />
    </fieldset>
  );
}
