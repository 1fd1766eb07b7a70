import { useEffect, useState } from 'react';
import { Alert, Form, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FormField, FormValues, PreviewStep } from '@contract';
import type { DraftEditor } from '../flows/draftEditor';
import { PersonPicker } from '../../../components/form/PersonPicker';
import { FieldItem } from '../../../components/form/FieldControls';
import { describeError } from '../../../lib/errors';
import { useDebounced } from '../../request/queries';
import { useCanvasPreview } from './queries';

/**
 * The path preview on the canvas: pick an initiator and form values; the unsaved document's path lights
 * up on the tree with each node's people (POST /api/v1/admin/flows/:flow_id/preview).
 */
export function PreviewPanel({
  editor,
  onPreview,
}: {
  editor: DraftEditor;
  onPreview: (steps: PreviewStep[] | null) => void;
}) {
  const { t } = useTranslation('consoleFlow');
  const { t: tErrors } = useTranslation();
  const [on, setOn] = useState(false);
  const [initiator, setInitiator] = useState<string | undefined>(undefined);
  const [values, setValues] = useState<FormValues>({});
  const body =
    on && initiator ? { document: editor.document, initiator_user_id: initiator, form_values: values } : null;
  const settled = useDebounced(body, 500);
  const preview = useCanvasPreview(editor.flowId, settled);
  const steps = on && settled && preview.data && !preview.isError ? preview.data.steps : null;
  useEffect(() => {
    onPreview(steps);
  }, [steps, onPreview]);
  // The form controls of the request page; nothing is required here (partial values are fine).
  const fields: FormField[] = editor.document.form
    .filter((f) => f.type !== 'file' && f.type !== 'record')
    .map((f) => ({ ...f, required: false }) as FormField);

  return (
    <aside className="pf-flow-preview" aria-labelledby="flow-preview-title">
      <Typography.Title level={3} id="flow-preview-title" style={{ marginTop: 0 }}>
        {t('preview.title')}
      </Typography.Title>
      <label className="pf-flow-toggle" style={{ marginBottom: 12 }}>
        <Switch
          size="small"
          checked={on}
          onChange={(value) => {
            setOn(value);
          }}
        />
        <span>{t('preview.show')}</span>
      </label>
      {on && (
        <>
          <Form
            layout="vertical"
            onValuesChange={(_, all: Record<string, unknown>) => {
              setValues(stripEmpty(all));
            }}
          >
            <Form.Item label={t('preview.initiator')} htmlFor="flow-preview-initiator" required>
              <PersonPicker
                id="flow-preview-initiator"
                value={initiator}
                onChange={(value) => {
                  setInitiator(typeof value === 'string' ? value : undefined);
                }}
              />
            </Form.Item>
            {fields.map((field) => (
              <FieldItem key={field.api_name} field={field} required={false} />
            ))}
          </Form>
          <div aria-live="polite">
            {!initiator && <Typography.Text type="secondary">{t('preview.pick_initiator')}</Typography.Text>}
            {preview.isError && (
              <Alert
                type="error"
                showIcon
                title={describeError(tErrors, preview.error)}
                description={problemsOf(preview.error)}
              />
            )}
            {steps && (
              <Typography.Text style={{ color: '#237804' }}>
                {t('preview.lit', { count: steps.length })}
              </Typography.Text>
            )}
            {preview.data?.blocked && !preview.isError && (
              <Alert
                type="warning"
                showIcon
                title={t('preview.blocked', { node: preview.data.blocked.node_id })}
              />
            )}
          </div>
        </>
      )}
    </aside>
  );
}

function stripEmpty(values: Record<string, unknown>): FormValues {
  const kept = Object.entries(values).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return Object.fromEntries(kept) as FormValues;
}

function problemsOf(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'violations' in error && Array.isArray(error.violations)) {
    const list = error.violations as { field: string; description: string }[];
    if (list.length > 0) return list.map((v) => `${v.field}: ${v.description}`).join('; ');
  }
  if (error instanceof Error) return error.message;
  return undefined;
}
