import { useTranslation } from 'react-i18next';

export default function ApprovalCenterPage() {
  const { t } = useTranslation('common');
  return <h1 className="pf-page-title">{t('approvalCenter')}</h1>;
}
