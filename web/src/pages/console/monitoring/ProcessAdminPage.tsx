import { useTranslation } from 'react-i18next';

/** One process for its admins: audit trail, reassign, return, withdraw or revoke on someone's behalf (owner: h-monitor). */
export default function ProcessAdminPage() {
  const { t } = useTranslation('consoleMonitor');

  return <h1>{t('title')}</h1>;
}
