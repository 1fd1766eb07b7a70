import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Input, InputNumber, Select, Spin, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import type { NotificationChannel, NotificationKind, NotificationPreferencesBody } from '@contract';
import { useNotificationPreferences, useSaveNotificationPreferences } from '../../api/notifications';
import { describeError, violationsByField } from '../../lib/errors';

const CHANNELS: NotificationChannel[] = ['in_app', 'email', 'chat'];

/** The profile's notification preferences: kinds × channels, the daily digest, the chat webhook. */
export default function NotificationPreferences() {
  const { t } = useTranslation(['notifications', 'errors']);
  const { message } = App.useApp();
  const stored = useNotificationPreferences();
  const save = useSaveNotificationPreferences();
  const [draft, setDraft] = useState<NotificationPreferencesBody | undefined>();
  useEffect(() => {
    if (stored.data) setDraft(stored.data);
  }, [stored.data]);
  const errors = violationsByField(save.error);
  if (!draft)
    return (
      <Card title={t('preferences')} className="pf-profile-card">
        <Spin />
      </Card>
    );
  const kinds = Object.keys(draft.channels) as NotificationKind[];
  const toggle = (kind: NotificationKind, channel: NotificationChannel, on: boolean) => {
    setDraft({
      ...draft,
      channels: { ...draft.channels, [kind]: { ...draft.channels[kind], [channel]: on } },
    });
  };
  const submit = () => {
    save.mutate(
      {
        channels: draft.channels,
        digest: draft.digest,
        chat_webhook: draft.chat_webhook && draft.chat_webhook.url !== '' ? draft.chat_webhook : null,
      },
      {
        onSuccess: () => void message.success(t('saved')),
        onError: (error) => void message.error(describeError(t, error)),
      },
    );
  };
  return (
    <Card title={t('preferences')} className="pf-profile-card">
      <p className="pf-profile-hint">{t('preferencesHint')}</p>
      {!draft.email_available && (
        <Alert type="info" showIcon title={t('noEmail')} className="pf-profile-alert" />
      )}
      <table className="pf-prefs-grid">
        <thead>
          <tr>
            <th scope="col">{t('kindColumn')}</th>
            {CHANNELS.map((c) => (
              <th scope="col" key={c}>
                {t(`channel.${c}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {kinds.map((kind) => (
            <tr key={kind}>
              <th scope="row">{t(`kindName.${kind}`)}</th>
              {CHANNELS.map((c) => (
                <td key={c}>
                  <Checkbox
                    aria-label={`${t(`kindName.${kind}`)} — ${t(`channel.${c}`)}`}
                    checked={draft.channels[kind][c]}
                    onChange={(e) => {
                      toggle(kind, c, e.target.checked);
                    }}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="pf-prefs-row">
        <label>
          <Switch
            size="small"
            checked={draft.digest.daily}
            onChange={(daily) => {
              setDraft({ ...draft, digest: { ...draft.digest, daily } });
            }}
          />{' '}
          {t('digestDaily')}
        </label>
        <label>
          {t('digestHour')}{' '}
          <InputNumber
            min={0}
            max={23}
            value={draft.digest.hour}
            status={errors['digest.hour'] ? 'error' : ''}
            onChange={(hour) => {
              setDraft({ ...draft, digest: { ...draft.digest, hour: hour ?? 9 } });
            }}
          />
        </label>
        <label>
          {t('timeZone')}{' '}
          <Input
            value={draft.digest.time_zone}
            status={errors['digest.time_zone'] ? 'error' : ''}
            onChange={(e) => {
              setDraft({ ...draft, digest: { ...draft.digest, time_zone: e.target.value } });
            }}
            style={{ width: 180 }}
          />
        </label>
      </div>
      <div className="pf-prefs-row">
        <label className="pf-prefs-webhook">
          {t('chatWebhook')}
          <Input
            value={draft.chat_webhook?.url ?? ''}
            placeholder="https://open.feishu.cn/open-apis/bot/v2/hook/…"
            status={errors['chat_webhook.url'] ? 'error' : ''}
            onChange={(e) => {
              setDraft({
                ...draft,
                chat_webhook: { url: e.target.value, type: draft.chat_webhook?.type ?? 'feishu' },
              });
            }}
          />
        </label>
        <Select
          aria-label={t('chatWebhook')}
          value={draft.chat_webhook?.type ?? 'feishu'}
          onChange={(type) => {
            setDraft({ ...draft, chat_webhook: { url: draft.chat_webhook?.url ?? '', type } });
          }}
          options={(['feishu', 'generic'] as const).map((v) => ({ value: v, label: t(`chatType.${v}`) }))}
          style={{ width: 200 }}
        />
      </div>
      {errors['chat_webhook.url'] && (
        <p className="pf-prefs-error" role="alert">
          {errors['chat_webhook.url']}
        </p>
      )}
      <p className="pf-profile-hint">{t('chatWebhookHint')}</p>
      <Button type="primary" onClick={submit} loading={save.isPending}>
        {t('save')}
      </Button>
    </Card>
  );
}
