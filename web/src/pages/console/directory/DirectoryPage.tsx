import { useTranslation } from 'react-i18next';

/** Departments, employees, roles, tenant admins, CSV import (owner: h-dir). */
export default function DirectoryPage() {
  const { t } = useTranslation('consoleDirectory');

  return <h1>{t('title')}</h1>;
}
