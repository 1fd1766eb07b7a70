import { useTranslation } from 'react-i18next';
import type { DraftEditor } from '../flows/draftEditor';

/** The form designer: palette, canvas, properties, rules, preview (owner: h-rules). */
export default function FormDesigner({ editor }: { editor: DraftEditor }) {
  const { t } = useTranslation('consoleForm');
  if (editor.readOnly) return <h1>{t('title')}</h1>;
  return <h1>{t('title')}</h1>;
}
