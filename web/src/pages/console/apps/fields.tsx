import { Checkbox } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ConsoleAppScope } from '@contract';

export const SCOPES: ConsoleAppScope[] = [
  'corehr:process:readonly',
  'corehr:process',
  'corehr:process.approver',
];

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
              <code>{scope}</code> — {t(`scope.${scope}`)}
            </span>
          ),
        }))}
      />
    </fieldset>
  );
}
