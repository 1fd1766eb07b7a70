import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  Form,
  Result,
  Row,
  Skeleton,
  Space,
  Spin,
  Typography,
} from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { FlowForm, ProcessDetail, StartRequest } from '@contract';
import { api, isApiError } from '../../api/client';
import { queryKeys } from '../../api/keys';
import { useAppPath } from '../../app/paths';
import { useMe } from '../../app/me';
import { FieldItem } from '../../components/form/FieldControls';
import { PersonPicker } from '../../components/form/PersonPicker';
import { PathSteps } from '../../components/process/PathSteps';
import { clearDraft, loadDraft, saveDraft, type Draft } from '../../lib/drafts';
import { describeError } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { stateFromValues, valuesFromState } from '../../lib/formValues';
import { localized } from '../../lib/language';
import { previewIsCurrent } from '../../lib/preview';
import { errorsByPath, placeViolations, violationCode } from '../../lib/violations';
import { useDebounced, useFlow, usePreview } from './queries';
import { LeaveBalanceHint } from './LeaveBalanceHint';

/** Where selected approvers live in the antd form state (never a form field's api_name: those are identifiers). */
const APPROVERS = '__approvers';

function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function splitState(flow: FlowForm, all: Record<string, unknown>) {
  const picked = (all[APPROVERS] ?? {}) as Record<string, string | string[] | undefined>;
  const selected: Record<string, string[]> = {};
  for (const node of flow.selectable_nodes) {
    const v = picked[node.node_id];
    const ids = v === undefined ? [] : Array.isArray(v) ? v : [v];
    if (ids.length > 0) selected[node.node_id] = ids;
  }
  return { form_values: valuesFromState(flow.form, all), selected_approvers: selected };
}

/** /approval-center/new/:flowId — the form from the flow's definition, with the live path preview beside it. */
export default function NewRequestPage() {
  const { flowId } = useParams();
  const flow = useFlow(flowId);
  const { t } = useTranslation('request');
  if (flow.isLoading) return <Skeleton active />;
  if (flow.isError || !flow.data)
    return (
      <Result
        status={isApiError(flow.error, 'not_found') ? '404' : 'error'}
        title={describeError(t, flow.error)}
      />
    );
  return <RequestForm key={flow.data.flow_id} flow={flow.data} />;
}

function RequestForm({ flow }: { flow: FlowForm }) {
  const { t, i18n } = useTranslation('request');
  const lang = i18n.language;
  const me = useMe();
  const appPath = useAppPath();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const personKey = `${me.tenant.tenant_key}:${me.person.user_id}`;
  const storage = browserStorage();
  const fieldNames = useMemo(() => flow.form.map((f) => f.api_name), [flow.form]);

  // Restore the draft once, before the first preview.
  const [restored] = useState<Draft | null>(() =>
    storage ? loadDraft(storage, personKey, flow.flow_id) : null,
  );
  const [body, setBody] = useState(() => ({
    form_values: restored?.form_values ?? valuesFromState(flow.form, {}),
    selected_approvers: restored?.selected_approvers ?? {},
  }));
  const initialValues = useMemo(
    () => ({
      ...stateFromValues(flow.form, restored?.form_values ?? {}),
      [APPROVERS]: restored?.selected_approvers ?? {},
    }),
    [flow.form, restored],
  );
  const [draftNotice, setDraftNotice] = useState(restored !== null);
  const [otherProblems, setOtherProblems] = useState<string[]>([]);

  const onValuesChange = useCallback(() => {
    setBody(splitState(flow, form.getFieldsValue(true) as Record<string, unknown>));
  }, [flow, form]);

  const settled = useDebounced(body, 400);
  const preview = usePreview(flow.flow_id, settled);
  // The answer on screen may be for older values (debouncing, or kept while the new one loads).
  const previewCurrent = previewIsCurrent(body, settled, preview.isPlaceholderData);

  // Keep the draft as the values settle (nothing stored when the form is empty).
  const submitted = useRef(false);
  useEffect(() => {
    if (!storage || submitted.current) return;
    saveDraft(storage, personKey, flow.flow_id, {
      ...settled,
      saved_at: new Date().toISOString(),
      flow_version: flow.version,
    });
  }, [settled, storage, personKey, flow.flow_id, flow.version]);

  const translate = (description: string) => {
    const code = violationCode(description);
    return code ? t(`violation.${code}`) : description;
  };

  const start = useMutation({
    mutationFn: (request: StartRequest) => api.post<Pick<ProcessDetail, 'process_id'>>('/processes', request),
    onSuccess: (detail) => {
      submitted.current = true;
      if (storage) clearDraft(storage, personKey, flow.flow_id);
      // Only the id is relied on: the detail page fetches the full ProcessDetail itself.
      void queryClient.invalidateQueries({ queryKey: queryKeys.process(detail.process_id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.inbox });
      void queryClient.invalidateQueries({ queryKey: queryKeys.inboxCounts });
      void message.success(t('form.started'));
      void navigate(appPath(`/approval-center/processes/${encodeURIComponent(detail.process_id)}`));
    },
    onError: (error) => {
      if (isApiError(error) && error.violations.length > 0) {
        const { onFields, elsewhere } = placeViolations(error.violations, 'form_values', fieldNames);
        form.setFields(
          errorsByPath(onFields).map(({ name, errors }) => ({ name, errors: errors.map(translate) })),
        );
        setOtherProblems(elsewhere.map((v) => `${v.field}: ${translate(v.description)}`));
        const first = onFields[0];
        if (first) form.scrollToField(first.path, { block: 'center', focus: true });
      } else {
        setOtherProblems([]);
      }
      void message.error(describeError(t, error));
    },
  });

  const submit = () => {
    setOtherProblems([]);
    const current = splitState(flow, form.getFieldsValue(true) as Record<string, unknown>);
    start.mutate({ flow_id: flow.flow_id, ...current });
  };

  const discardDraft = () => {
    if (storage) clearDraft(storage, personKey, flow.flow_id);
    form.resetFields();
    form.setFieldsValue({ ...stateFromValues(flow.form, {}), [APPROVERS]: {} });
    setBody(splitState(flow, {}));
    setDraftNotice(false);
  };

  const flowName = localized(flow.name, lang);
  const blocked = preview.data?.blocked;
  // Conditional fields the server would not ask for now (their shown_when does not hold); the latest
  // answer is used while a newer one loads, so fields do not flicker.
  const hidden = new Set(preview.data?.hidden_fields ?? []);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Breadcrumb
        items={[
          {
            title: <Link to={appPath('/approval-center/new')}>{t('new.title')}</Link>,
          },
          { title: localized(flow.biz_type_name, lang) },
        ]}
      />
      <Typography.Title level={2} style={{ margin: 0 }}>
        {flowName}
      </Typography.Title>
      {draftNotice && restored && (
        <Alert
          type="info"
          showIcon
          title={t('draft.restored', { time: formatDateTime(restored.saved_at, lang) })}
          action={
            <Button size="small" onClick={discardDraft}>
              {t('draft.discard')}
            </Button>
          }
          closable={{
            onClose: () => {
              setDraftNotice(false);
            },
            'aria-label': t('draft.dismiss'),
          }}
        />
      )}
      <Row gutter={[16, 24]} align="top">
        <Col xs={24} lg={14}>
          <Card title={t('form.title')}>
            <Form
              form={form}
              name={`request-${flow.flow_id}`}
              layout="vertical"
              initialValues={initialValues}
              onValuesChange={onValuesChange}
              onFinish={submit}
              scrollToFirstError={{ block: 'center', focus: true }}
              requiredMark
            >
              {otherProblems.length > 0 && (
                <Alert
                  type="error"
                  showIcon
                  style={{ marginBottom: 16 }}
                  title={t('form.problems')}
                  description={
                    <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                      {otherProblems.map((p) => (
                        <li key={p}>{p}</li>
                      ))}
                    </ul>
                  }
                />
              )}
              {flow.form
                .filter((field) => !(field.shown_when && hidden.has(field.api_name)))
                .map((field) => {
                  const calculated = preview.data?.calculated_values?.[field.api_name];
                  const item = (
                    <FieldItem
                      key={field.api_name}
                      field={field}
                      calculatedText={calculated ? localized(calculated, lang) : undefined}
                    />
                  );
                  // A leave request: the chosen type's available days, under the type (docs/leave.md).
                  if (field.api_name !== 'leave_type' || flow.biz_type !== 'leave_application') return item;
                  return (
                    <div key={field.api_name}>
                      {item}
                      <LeaveBalanceHint values={body.form_values} />
                    </div>
                  );
                })}
              {flow.selectable_nodes.length > 0 && (
                <section aria-labelledby="choose-approvers">
                  <Typography.Title level={3} id="choose-approvers" style={{ fontSize: 16 }}>
                    {t('form.choose_approvers')}
                  </Typography.Title>
                  {flow.selectable_nodes.map((node) => (
                    <Form.Item
                      key={node.node_id}
                      name={[APPROVERS, node.node_id]}
                      label={localized(node.name, lang)}
                    >
                      <PersonPicker multiple={node.multiple} />
                    </Form.Item>
                  ))}
                </section>
              )}
              <div className="pf-submit-bar">
                <Button
                  type="primary"
                  htmlType="submit"
                  size="large"
                  loading={start.isPending}
                  disabled={start.isPending}
                >
                  {t('form.submit')}
                </Button>
                {blocked && (
                  <Typography.Text type="danger" style={{ marginInlineStart: 12 }}>
                    {t('form.blocked_hint')}
                  </Typography.Text>
                )}
              </div>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card
            className="pf-preview"
            title={
              <Space>
                {t('preview.title')}
                {(preview.isFetching || !previewCurrent) && (
                  <Spin size="small" aria-label={t('preview.updating')} />
                )}
              </Space>
            }
          >
            <div aria-live="polite">
              {preview.isError && (
                <Alert
                  type="warning"
                  showIcon
                  title={t('preview.failed')}
                  description={describeError(t, preview.error)}
                />
              )}
              {!preview.data && preview.isLoading && <Skeleton active />}
              {preview.data && <PathSteps steps={preview.data.steps} blocked={blocked} />}
              {previewCurrent && preview.data?.violations && preview.data.violations.length > 0 && (
                <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
                  {t('preview.incomplete', { count: preview.data.violations.length })}
                </Typography.Paragraph>
              )}
            </div>
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
