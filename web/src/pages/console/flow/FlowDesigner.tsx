import { useTranslation } from 'react-i18next';
import type { DraftEditor } from '../flows/draftEditor';

/** The flow designer: the vertical node tree, node properties, conditions, problems, canvas preview (owner: h-flowdesigner). */
export default function FlowDesigner({ editor }: { editor: DraftEditor }) {
  const { t } = useTranslation('consoleFlow');
  if (editor.readOnly) return <h1>{t('title')}</h1>;
  return <h1>{t('title')}</h1>;
}
