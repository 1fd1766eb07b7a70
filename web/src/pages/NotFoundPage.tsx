import { Link } from 'react-router-dom';
import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAppPath } from '../app/paths';

export function NotFoundPage() {
  const { t } = useTranslation('common');
  const appPath = useAppPath();
  return (
    <Result
      status="404"
      title={t('notFoundTitle')}
      subTitle={t('notFoundText')}
      extra={<Link to={appPath('/approval-center/todo')}>{t('backToApprovalCenter')}</Link>}
    />
  );
}
