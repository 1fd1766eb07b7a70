import { useTranslation } from 'react-i18next';

/** The event delivery log: filters, retry, resend, parked, metrics (owner: h-apps). */
export default function DeliveriesPage() {
  const { t } = useTranslation('consoleApps');

  return <h1>{t('title')}</h1>;
}
