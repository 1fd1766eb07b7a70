import { useTranslation } from 'react-i18next';

/** One flow: the draft editor with its tabs (settings, form, flow, simulation, versions) (owner: h-flows). */
export default function FlowEditorPage() {
  const { t } = useTranslation('consoleFlows');

  return <h1>{t('title')}</h1>;
}
