import { useTranslation } from 'react-i18next';

export default function ProfilePage() {
  const { t } = useTranslation('common');
  return <h1 className="pf-page-title">{t('profile')}</h1>;
}
