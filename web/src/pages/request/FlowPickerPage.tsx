import { useMemo, useState } from 'react';
import { Alert, Card, Col, Empty, Input, Row, Skeleton, Space, Typography } from 'antd';
import { FileAddOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { FlowSummary } from '@contract';
import { useAppPath } from '../../app/paths';
import { describeError } from '../../lib/errors';
import { localized } from '../../lib/language';
import { useFlows } from './queries';
import { useClearButton } from '../../components/clearButton';

/** `custom:team_outing` → "Team outing" (the server's name for a custom type with no flow to name it). */
function readableBizType(bizType: string): string {
  const own = bizType.replace(/^custom:/, '').replace(/_/g, ' ');
  return own.charAt(0).toUpperCase() + own.slice(1);
}

/** Groups flows by business type, in the order the server lists them, filtered by a search text. */
export function groupFlows(flows: readonly FlowSummary[], search: string, language: string) {
  const needle = search.trim().toLowerCase();
  const groups = new Map<string, { name: string; flows: FlowSummary[] }>();
  for (const flow of flows) {
    const name = localized(flow.name, language);
    const type = localized(flow.biz_type_name, language);
    const hay =
      `${flow.name.zh_cn} ${flow.name.en_us} ${flow.biz_type_name.zh_cn} ${flow.biz_type_name.en_us}`.toLowerCase();
    if (needle && !hay.includes(needle) && !name.toLowerCase().includes(needle)) continue;
    const group = groups.get(flow.biz_type) ?? { name: type, flows: [] };
    // A custom type is named after its flow: when several flows share one, no flow's name heads them all.
    if (group.name !== type) group.name = readableBizType(flow.biz_type);
    group.flows.push(flow);
    groups.set(flow.biz_type, group);
  }
  return [...groups.entries()].map(([bizType, g]) => ({ bizType, ...g }));
}

/** /approval-center/new — pick what to request. */
export default function FlowPickerPage() {
  return <FlowPicker />;
}

function FlowPicker() {
  const { t, i18n } = useTranslation('request');
  const clear = useClearButton();
  const appPath = useAppPath();
  const flows = useFlows();
  const [search, setSearch] = useState('');
  const groups = useMemo(
    () => groupFlows(flows.data ?? [], search, i18n.language),
    [flows.data, search, i18n.language],
  );

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('new.title')}
      </Typography.Title>
      <Input.Search
        aria-label={t('new.search_label')}
        placeholder={t('new.search_placeholder')}
        allowClear={clear}
        value={search}
        onChange={(e) => {
          setSearch(e.target.value);
        }}
        style={{ maxWidth: 480 }}
      />
      {flows.isLoading && <Skeleton active />}
      {flows.isError && <Alert type="error" showIcon title={describeError(t, flows.error)} />}
      {flows.isSuccess && groups.length === 0 && (
        <Empty description={search ? t('new.no_match') : t('new.no_flows')} />
      )}
      {groups.map((group) => (
        <section key={group.bizType} aria-labelledby={`biz-${group.bizType}`}>
          <Typography.Title level={3} id={`biz-${group.bizType}`} style={{ fontSize: 18 }}>
            {group.name}
          </Typography.Title>
          <Row gutter={[16, 16]}>
            {group.flows.map((flow) => (
              <Col key={flow.flow_id} xs={24} sm={12} lg={8} xl={6}>
                <Link
                  to={appPath(`/approval-center/new/${encodeURIComponent(flow.flow_id)}`)}
                  className="pf-flow-link"
                >
                  <Card hoverable size="small">
                    <Space>
                      <FileAddOutlined aria-hidden style={{ fontSize: 20, color: '#1f5fbf' }} />
                      <Typography.Text strong>{localized(flow.name, i18n.language)}</Typography.Text>
                    </Space>
                  </Card>
                </Link>
              </Col>
            ))}
          </Row>
        </section>
      ))}
    </Space>
  );
}
