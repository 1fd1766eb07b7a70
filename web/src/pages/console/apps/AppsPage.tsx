import { useTranslation } from 'react-i18next';

/** Apps: list, create, scopes, secret, event settings (owner: h-apps). */
export default function AppsPage() {
  const { t } = useTranslation('consoleApps');

  return <h1>{t('title')}</h1>;
}
