import { useTranslation } from 'react-i18next';
import type { DraftEditor } from './draftEditor';

/** Versions with a side-by-side diff, export (owner: h-flows). */
export default function VersionsPanel({ editor }: { editor: DraftEditor }) {
  const { t } = useTranslation('consoleFlows');
  if (editor.readOnly) return <h1>{t('title')}</h1>;
  return <h1>{t('title')}</h1>;
}
