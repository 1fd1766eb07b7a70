import { useTranslation } from 'react-i18next';

/** Flow definitions: list, create, import (owner: h-flows). */
export default function FlowListPage() {
  const { t } = useTranslation('consoleFlows');

  return <h1>{t('title')}</h1>;
}
