import { useState } from 'react';
import { Form, Segmented, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FlowDocument, FlowFormField, FormField } from '@contract';
import { FieldItem } from '../../../components/form/FieldControls';
import { localized } from '../../../lib/language';

/** The designer's field as the approval center's form controls take it. */
export function asRequestField(field: FlowFormField): FormField {
  return {
    api_name: field.api_name,
    label: field.label,
    type: field.type,
    required: field.required ?? false,
    ...(field.options ? { options: field.options } : {}),
    ...(field.sub_fields ? { sub_fields: field.sub_fields.map(asRequestField) } : {}),
  };
}

/**
 * The form as an initiator will see it, at desktop or phone width. Calculated fields are filled by the
 * server on submit; a field with a visibility rule shows its condition (the server decides on submit).
 */
export function FormPreview({ document }: { document: FlowDocument }) {
  const { t, i18n } = useTranslation('consoleForm');
  const [width, setWidth] = useState<'desktop' | 'phone'>('desktop');
  const calculated = new Map((document.rules?.calculations ?? []).map((c) => [c.field, c.expression]));
  const conditional = new Map((document.rules?.visibility ?? []).map((v) => [v.field, v.when]));
  const initial = Object.fromEntries(
    document.form.filter((f) => f.default !== undefined).map((f) => [f.api_name, f.default]),
  );
  return (
    <div>
      <Segmented
        aria-label={t('preview.width')}
        value={width}
        onChange={(v) => {
          setWidth(v as 'desktop' | 'phone');
        }}
        options={[
          { value: 'desktop', label: t('preview.desktop') },
          { value: 'phone', label: t('preview.phone') },
        ]}
        style={{ marginBottom: 12 }}
      />
      <div
        className="pf-form-preview"
        data-width={width}
        style={{
          width: width === 'phone' ? 375 : '100%',
          maxWidth: '100%',
          border: '1px solid #d9d9d9',
          borderRadius: 8,
          padding: 16,
          boxSizing: 'border-box',
          background: '#fff',
        }}
      >
        {document.form.length === 0 ? (
          <Typography.Text type="secondary">{t('preview.empty')}</Typography.Text>
        ) : (
          <Form layout="vertical" initialValues={initial} key={JSON.stringify(initial)}>
            {document.form.map((field) => {
              const help = field.help_text && localized(field.help_text, i18n.language);
              const when = conditional.get(field.api_name);
              const formula = calculated.get(field.api_name);
              return (
                <div key={field.api_name} className="pf-form-preview-field">
                  {(when !== undefined || formula !== undefined) && (
                    <div style={{ marginBottom: 4 }}>
                      {when !== undefined && (
                        <Tag color="blue">{t('preview.shownWhen', { when: when || '…' })}</Tag>
                      )}
                      {formula !== undefined && <Tag color="purple">{t('preview.calculated')}</Tag>}
                    </div>
                  )}
                  <FieldItem field={asRequestField(field)} disabled={formula !== undefined} />
                  {help && (
                    <Typography.Paragraph type="secondary" style={{ marginTop: -16, fontSize: 12 }}>
                      {help}
                    </Typography.Paragraph>
                  )}
                </div>
              );
            })}
          </Form>
        )}
      </div>
    </div>
  );
}
