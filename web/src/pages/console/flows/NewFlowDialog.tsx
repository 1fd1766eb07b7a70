import { useId, useState } from 'react';
import { Alert, Input, Modal, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ConsoleFlowCreateRequest } from '@contract';
import { describeError, violationsByField } from '../../../lib/errors';
import { localized } from '../../../lib/language';
import { useCreateFlow, useFlowChoices, useFlowTemplates } from './queries';
import { useReturnFocus } from './useReturnFocus';

type Way = 'template' | 'blank' | 'clone';

/** "New flow": from a business type's template, blank, or a copy of another flow. */
export default function NewFlowDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (flowId: string) => void;
}) {
  useReturnFocus();
  const { t, i18n } = useTranslation('consoleFlows');
  const id = useId();
  const [way, setWay] = useState<Way>('template');
  const [bizType, setBizType] = useState<string | undefined>('travel_application');
  const [cloneFrom, setCloneFrom] = useState<string | undefined>(undefined);
  const [cloneQuery, setCloneQuery] = useState('');
  const [nameZh, setNameZh] = useState('');
  const [nameEn, setNameEn] = useState('');
  const templates = useFlowTemplates(true);
  const choices = useFlowChoices(cloneQuery, way === 'clone');
  const create = useCreateFlow();
  const problems = violationsByField(create.error);

  const bizOptions = (templates.data?.items ?? []).map((item) => ({
    value: item.biz_type,
    label: `${localized(item.biz_type_name, i18n.language)} · ${item.biz_type}`,
  }));
  const flowOptions = (choices.data?.items ?? []).map((flow) => ({
    value: flow.flow_id,
    label: `${localized(flow.name, i18n.language)} (${flow.latest_version > 0 ? t('list.version', { version: flow.latest_version }) : t('list.neverPublished')})`,
  }));
  const name = nameZh.trim() && nameEn.trim() ? { zh_cn: nameZh.trim(), en_us: nameEn.trim() } : undefined;
  const ready =
    way === 'template'
      ? bizType !== undefined
      : way === 'clone'
        ? cloneFrom !== undefined
        : Boolean(name && bizType);

  const submit = () => {
    const body: ConsoleFlowCreateRequest =
      way === 'template'
        ? { template: bizType ?? '', ...(name ? { name } : {}) }
        : way === 'clone'
          ? { clone_from: cloneFrom ?? '', ...(name ? { name } : {}) }
          : { biz_type: bizType ?? '', ...(name ? { name } : {}) };
    create.mutate(body, {
      onSuccess: (created) => {
        onCreated(created.flow.flow_id);
      },
    });
  };

  return (
    <Modal
      open
      title={t('create.title')}
      okText={t('create.create')}
      cancelText={t('publish.cancel')}
      okButtonProps={{ disabled: !ready, loading: create.isPending }}
      onOk={submit}
      onCancel={onClose}
    >
      <div className="pf-flow-create">
        <Radio.Group
          aria-label={t('create.way')}
          value={way}
          onChange={(e) => {
            setWay(e.target.value as Way);
          }}
          optionType="button"
          options={[
            { value: 'template', label: t('create.fromTemplate') },
            { value: 'blank', label: t('create.blank') },
            { value: 'clone', label: t('create.clone') },
          ]}
        />
        {way !== 'clone' && (
          <div className="pf-flow-setting">
            <label htmlFor={`${id}-biz`} className="pf-flow-setting-label">
              {way === 'template' ? t('create.template') : t('settings.bizType')}
            </label>
            <Select
              id={`${id}-biz`}
              value={bizType}
              options={bizOptions}
              loading={templates.isPending}
              showSearch={{ optionFilterProp: 'label' }}
              onChange={setBizType}
              style={{ width: '100%' }}
              status={problems.template || problems.biz_type ? 'error' : undefined}
            />
          </div>
        )}
        {way === 'clone' && (
          <div className="pf-flow-setting">
            <label htmlFor={`${id}-clone`} className="pf-flow-setting-label">
              {t('create.cloneFrom')}
            </label>
            <Select
              id={`${id}-clone`}
              value={cloneFrom}
              options={flowOptions}
              loading={choices.isFetching}
              showSearch={{ filterOption: false, onSearch: setCloneQuery }}
              onChange={setCloneFrom}
              style={{ width: '100%' }}
              placeholder={t('create.clonePlaceholder')}
            />
          </div>
        )}
        <div className="pf-flow-setting">
          <label htmlFor={`${id}-zh`} className="pf-flow-setting-label">
            {t('settings.nameZh')}
          </label>
          <Input
            id={`${id}-zh`}
            value={nameZh}
            maxLength={200}
            onChange={(e) => {
              setNameZh(e.target.value);
            }}
          />
        </div>
        <div className="pf-flow-setting">
          <label htmlFor={`${id}-en`} className="pf-flow-setting-label">
            {t('settings.nameEn')}
          </label>
          <Input
            id={`${id}-en`}
            value={nameEn}
            maxLength={200}
            onChange={(e) => {
              setNameEn(e.target.value);
            }}
          />
          <p className="pf-flow-setting-help">
            {way === 'blank' ? t('create.nameNeeded') : t('create.nameOptional')}
          </p>
        </div>
        {create.isError && <Alert type="error" showIcon title={describeError(t, create.error)} />}
      </div>
    </Modal>
  );
}
