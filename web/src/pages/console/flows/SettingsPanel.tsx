import { useTranslation } from 'react-i18next';
import type { DraftEditor } from './draftEditor';

/** The flow's name, business type, process admins and settings (owner: h-flows). */
export default function SettingsPanel({ editor }: { editor: DraftEditor }) {
  const { t } = useTranslation('consoleFlows');
  if (editor.readOnly) return <h1>{t('title')}</h1>;
  return <h1>{t('title')}</h1>;
}
