import { useTranslation } from 'react-i18next';

/** Process monitoring: search every process the person administers, CSV export (owner: h-monitor). */
export default function ProcessSearchPage() {
  const { t } = useTranslation('consoleMonitor');

  return <h1>{t('title')}</h1>;
}
