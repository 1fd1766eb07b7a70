import { useId } from 'react';
import { Button, Card, Input, Select, Space, Typography } from 'antd';
import { CheckCircleOutlined, DeleteOutlined, LoadingOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ExpressionCheckRequest, FlowDocument, FlowFormField, FlowFormRules } from '@contract';
import { describeError } from '../../../lib/errors';
import { CALCULABLE, freeRuleId, setRules } from './formModel';
import { useExpressionCheck } from './queries';

/** A CEL expression box, checked live against the form (debounced), the problem shown under it. */
function ExpressionInput({
  form,
  value,
  onChange,
  kind,
  field,
  label,
  disabled,
}: {
  form: FlowFormField[];
  value: string;
  onChange: (value: string) => void;
  kind: ExpressionCheckRequest['kind'];
  field?: string;
  label: string;
  disabled: boolean;
}) {
  const { t } = useTranslation(['consoleForm', 'errors']);
  const check = useExpressionCheck(form, value, kind, field);
  const helpId = useId();
  const result = check.data;
  let status: React.ReactNode = null;
  if (value.trim() === '') status = <Typography.Text type="secondary">{t('rules.empty')}</Typography.Text>;
  else if (check.isFetching && !result) status = <LoadingOutlined aria-label={t('rules.checking')} />;
  else if (check.error)
    status = <Typography.Text type="danger">{describeError(t, check.error)}</Typography.Text>;
  else if (result?.ok === false)
    status = (
      <Typography.Text type="danger" role="alert">
        {result.problem}
      </Typography.Text>
    );
  else if (result?.ok)
    status = (
      <Typography.Text type="success">
        <CheckCircleOutlined /> {t('rules.ok', { type: result.type ?? 'bool' })}
      </Typography.Text>
    );
  return (
    <div style={{ marginBottom: 8 }}>
      <Input.TextArea
        aria-label={label}
        aria-describedby={helpId}
        aria-invalid={result?.ok === false}
        status={result?.ok === false ? 'error' : undefined}
        autoSize={{ minRows: 1, maxRows: 4 }}
        maxLength={2000}
        value={value}
        placeholder={label}
        disabled={disabled}
        style={{ fontFamily: 'monospace' }}
        onChange={(e) => {
          onChange(e.target.value);
        }}
      />
      <div id={helpId} aria-live="polite" style={{ minHeight: 22 }}>
        {status}
      </div>
    </div>
  );
}

/** Validations, visibility and calculations of the form. */
export function RulesEditor({
  document,
  change,
  readOnly,
  label,
}: {
  document: FlowDocument;
  change: (recipe: (doc: FlowDocument) => FlowDocument) => void;
  readOnly: boolean;
  label: (field: FlowFormField) => string;
}) {
  const { t } = useTranslation('consoleForm');
  const form = document.form;
  const rules: FlowFormRules = document.rules ?? {};
  const update = (next: FlowFormRules) => {
    change((doc) => setRules(doc, next));
  };
  const fieldOptions = form.map((f) => ({ value: f.api_name, label: `${label(f)} (${f.api_name})` }));
  const validations = rules.validations ?? [];
  const visibility = rules.visibility ?? [];
  const calculations = rules.calculations ?? [];

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('rules.intro')}
      </Typography.Paragraph>
      <Card size="small" title={<h3 style={{ margin: 0, fontSize: 15 }}>{t('rules.validations')}</h3>}>
        {validations.map((rule, i) => {
          const set = (patch: Partial<typeof rule>) => {
            update({ ...rules, validations: validations.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
          };
          return (
            <div
              key={i}
              className="pf-rule"
              style={{ borderBottom: '1px solid #f0f0f0', paddingBottom: 8, marginBottom: 8 }}
            >
              <ExpressionInput
                form={form}
                kind="validation"
                label={t('rules.expression', { n: i + 1 })}
                value={rule.expression}
                disabled={readOnly}
                onChange={(expression) => {
                  set({ expression });
                }}
              />
              <Space.Compact block style={{ marginBottom: 8 }}>
                <Input
                  aria-label={t('rules.messageZh', { n: i + 1 })}
                  placeholder={t('rules.messageZhPlaceholder')}
                  value={rule.message.zh_cn}
                  maxLength={200}
                  disabled={readOnly}
                  onChange={(e) => {
                    set({ message: { ...rule.message, zh_cn: e.target.value } });
                  }}
                />
                <Input
                  aria-label={t('rules.messageEn', { n: i + 1 })}
                  placeholder={t('rules.messageEnPlaceholder')}
                  value={rule.message.en_us}
                  maxLength={200}
                  disabled={readOnly}
                  onChange={(e) => {
                    set({ message: { ...rule.message, en_us: e.target.value } });
                  }}
                />
              </Space.Compact>
              <Space.Compact block>
                <Select
                  mode="multiple"
                  style={{ width: '100%' }}
                  aria-label={t('rules.fields', { n: i + 1 })}
                  placeholder={t('rules.fieldsPlaceholder')}
                  value={rule.fields}
                  options={fieldOptions}
                  disabled={readOnly}
                  onChange={(fields: string[]) => {
                    set({ fields });
                  }}
                />
                <Button
                  aria-label={t('rules.remove', { n: i + 1 })}
                  icon={<DeleteOutlined />}
                  disabled={readOnly}
                  onClick={() => {
                    update({ ...rules, validations: validations.filter((_, j) => j !== i) });
                  }}
                />
              </Space.Compact>
            </div>
          );
        })}
        <Button
          icon={<PlusOutlined />}
          disabled={readOnly}
          onClick={() => {
            update({
              ...rules,
              validations: [
                ...validations,
                { id: freeRuleId(rules), expression: '', message: { zh_cn: '', en_us: '' }, fields: [] },
              ],
            });
          }}
        >
          {t('rules.addValidation')}
        </Button>
      </Card>

      <Card size="small" title={<h3 style={{ margin: 0, fontSize: 15 }}>{t('rules.visibility')}</h3>}>
        {visibility.map((rule, i) => (
          <div key={i} style={{ marginBottom: 8 }}>
            <Space.Compact block style={{ marginBottom: 4 }}>
              <Select
                style={{ width: '100%' }}
                aria-label={t('rules.visibilityField', { n: i + 1 })}
                value={rule.field || undefined}
                placeholder={t('rules.fieldPlaceholder')}
                options={fieldOptions}
                disabled={readOnly}
                onChange={(field: string) => {
                  update({ ...rules, visibility: visibility.map((r, j) => (j === i ? { ...r, field } : r)) });
                }}
              />
              <Button
                aria-label={t('rules.remove', { n: i + 1 })}
                icon={<DeleteOutlined />}
                disabled={readOnly}
                onClick={() => {
                  update({ ...rules, visibility: visibility.filter((_, j) => j !== i) });
                }}
              />
            </Space.Compact>
            <ExpressionInput
              form={form}
              kind="visibility"
              label={t('rules.when', { n: i + 1 })}
              value={rule.when}
              disabled={readOnly}
              onChange={(when) => {
                update({ ...rules, visibility: visibility.map((r, j) => (j === i ? { ...r, when } : r)) });
              }}
            />
          </div>
        ))}
        <Button
          icon={<PlusOutlined />}
          disabled={readOnly}
          onClick={() => {
            update({ ...rules, visibility: [...visibility, { field: '', when: '' }] });
          }}
        >
          {t('rules.addVisibility')}
        </Button>
      </Card>

      <Card size="small" title={<h3 style={{ margin: 0, fontSize: 15 }}>{t('rules.calculations')}</h3>}>
        {calculations.map((rule, i) => (
          <div key={i} style={{ marginBottom: 8 }}>
            <Space.Compact block style={{ marginBottom: 4 }}>
              <Select
                style={{ width: '100%' }}
                aria-label={t('rules.calculationField', { n: i + 1 })}
                value={rule.field || undefined}
                placeholder={t('rules.fieldPlaceholder')}
                options={fieldOptions.filter((o) => {
                  const type = form.find((f) => f.api_name === o.value)?.type;
                  return type !== undefined && CALCULABLE.has(type);
                })}
                disabled={readOnly}
                onChange={(field: string) => {
                  update({
                    ...rules,
                    calculations: calculations.map((r, j) => (j === i ? { ...r, field } : r)),
                  });
                }}
              />
              <Button
                aria-label={t('rules.remove', { n: i + 1 })}
                icon={<DeleteOutlined />}
                disabled={readOnly}
                onClick={() => {
                  update({ ...rules, calculations: calculations.filter((_, j) => j !== i) });
                }}
              />
            </Space.Compact>
            <ExpressionInput
              form={form}
              kind="calculation"
              field={rule.field || undefined}
              label={t('rules.calculation', { n: i + 1 })}
              value={rule.expression}
              disabled={readOnly}
              onChange={(expression) => {
                update({
                  ...rules,
                  calculations: calculations.map((r, j) => (j === i ? { ...r, expression } : r)),
                });
              }}
            />
          </div>
        ))}
        <Button
          icon={<PlusOutlined />}
          disabled={readOnly}
          onClick={() => {
            update({ ...rules, calculations: [...calculations, { field: '', expression: '' }] });
          }}
        >
          {t('rules.addCalculation')}
        </Button>
      </Card>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('rules.functions')}
      </Typography.Paragraph>
    </Space>
  );
}
