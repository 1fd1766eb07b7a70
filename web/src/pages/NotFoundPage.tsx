import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAppPath } from '../app/paths';
import { Problem } from '../components/Problem';

export function NotFoundPage() {
  const { t } = useTranslation('common');
  const appPath = useAppPath();
  return (
    <Problem
      title={t('notFoundTitle')}
      text={t('notFoundText')}
      action={<Link to={appPath('/approval-center/todo')}>{t('backToApprovalCenter')}</Link>}
    />
  );
}
