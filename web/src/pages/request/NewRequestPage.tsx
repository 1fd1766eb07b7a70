import { useTranslation } from 'react-i18next';

/** Placeholder: the real page comes with the New request / Process detail work (h-webform). */
export default function NewRequestPage() {
  const { t } = useTranslation('common');
  return <h1 className="pf-page-title">{t('comingSoon')}</h1>;
}
