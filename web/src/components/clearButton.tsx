import { useMemo, type ReactNode } from 'react';
import { CloseCircleFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/**
 * `allowClear` for Ant Design's selects, tree selects and inputs, with the clear button named in the
 * reader's language. Left to themselves a select's clear button is named "Clear" in every language
 * (rc-select's default) and an input's by its icon ("close-circle"); a date picker's already comes from
 * Ant Design's locale. The select takes `label` for its button; an input's button is named by its
 * content, so the icon carries the name as well.
 */
export function useClearButton(): { label: string; clearIcon: ReactNode } {
  const { t } = useTranslation('common');
  const label = t('clear');
  return useMemo(() => ({ label, clearIcon: <CloseCircleFilled aria-label={label} /> }), [label]);
}
