import type { NotificationKind } from './kinds.js';

export type MailLanguage = 'zh-CN' | 'en';

/** What a message about one notification says, in the reader's language. */
export interface NotificationFacts {
  kind: NotificationKind;
  /** The flow's name, e.g. "Leave request". */
  flow: string;
  initiator: string;
  /** Who caused it, when a person did. */
  actor?: string | undefined;
  processId: string;
  /** `<base>/approval-center/processes/<id>`. */
  url: string;
  at: number;
}

type Words = (f: NotificationFacts) => string;

/** One line per kind: the subject, and the first sentence of the body. */
const LINES: Record<MailLanguage, Record<NotificationKind, Words>> = {
  en: {
    task_assigned: (f) => `${f.flow} from ${f.initiator} is waiting for your approval`,
    reminder: (f) => `Reminder: ${f.flow} from ${f.initiator} is still waiting for you`,
    urged: (f) => `${f.actor ?? f.initiator} asks you to act on ${f.flow}`,
    escalated: (f) => `Escalated to you: ${f.flow} from ${f.initiator} has waited too long`,
    transferred_to_you: (f) => `${f.actor ?? 'Someone'} transferred ${f.flow} from ${f.initiator} to you`,
    added_to_sign: (f) => `${f.actor ?? 'Someone'} added you as an approver of ${f.flow} from ${f.initiator}`,
    returned_to_you: (f) =>
      `${f.flow} from ${f.initiator} was returned to you${f.actor ? ` by ${f.actor}` : ''}`,
    mentioned: (f) => `${f.actor ?? 'Someone'} mentioned you on ${f.flow} from ${f.initiator}`,
    cc: (f) => `You were copied on ${f.flow} from ${f.initiator}`,
    request_approved: (f) => `Your ${f.flow} was approved`,
    request_rejected: (f) => `Your ${f.flow} was rejected${f.actor ? ` by ${f.actor}` : ''}`,
    request_completed: (f) => `Your ${f.flow} is complete: the change took effect`,
    action_failed: (f) => `An action of ${f.flow} from ${f.initiator} failed and needs an admin`,
  },
  'zh-CN': {
    task_assigned: (f) => `${f.initiator}的${f.flow}待你审批`,
    reminder: (f) => `提醒：${f.initiator}的${f.flow}仍在等你处理`,
    urged: (f) => `${f.actor ?? f.initiator}催你处理${f.flow}`,
    escalated: (f) => `已升级给你：${f.initiator}的${f.flow}等待过久`,
    transferred_to_you: (f) => `${f.actor ?? '有人'}将${f.initiator}的${f.flow}转交给你`,
    added_to_sign: (f) => `${f.actor ?? '有人'}邀请你加签${f.initiator}的${f.flow}`,
    returned_to_you: (f) => `${f.initiator}的${f.flow}${f.actor ? `被${f.actor}` : ''}退回给你`,
    mentioned: (f) => `${f.actor ?? '有人'}在${f.initiator}的${f.flow}中提到了你`,
    cc: (f) => `${f.initiator}的${f.flow}抄送给你`,
    request_approved: (f) => `你的${f.flow}已通过`,
    request_rejected: (f) => `你的${f.flow}${f.actor ? `被${f.actor}` : ''}驳回`,
    request_completed: (f) => `你的${f.flow}已完成：变更已生效`,
    action_failed: (f) => `${f.initiator}的${f.flow}有一项操作失败，需要管理员处理`,
  },
};

const UI: Record<
  MailLanguage,
  { open: string; digest: (n: number) => string; footer: string; test: string }
> = {
  en: {
    open: 'Open in PeopleFlow',
    digest: (n) => `PeopleFlow: ${n} notification${n === 1 ? '' : 's'} today`,
    footer: 'You get this email because of your notification preferences in PeopleFlow (Profile).',
    test: 'PeopleFlow test email: the SMTP settings work',
  },
  'zh-CN': {
    open: '在 PeopleFlow 中查看',
    digest: (n) => `PeopleFlow：今日 ${n} 条通知`,
    footer: '你收到这封邮件，是因为你在 PeopleFlow（个人设置）中的通知偏好。',
    test: 'PeopleFlow 测试邮件：SMTP 设置可用',
  },
};

export const headline = (language: MailLanguage, facts: NotificationFacts): string =>
  LINES[language][facts.kind](facts);

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export interface Mail {
  subject: string;
  text: string;
  html: string;
}

/** One notification as an email. */
export function notificationMail(language: MailLanguage, facts: NotificationFacts): Mail {
  const line = headline(language, facts);
  const ui = UI[language];
  return {
    subject: line,
    text: `${line}\n\n${ui.open}: ${facts.url}\n\n-- \n${ui.footer}\n`,
    html: page(
      language,
      `<p style="font-size:16px">${escapeHtml(line)}</p>` +
        `<p><a href="${escapeHtml(facts.url)}" style="display:inline-block;padding:8px 16px;background:#1677ff;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(ui.open)}</a></p>`,
      ui.footer,
    ),
  };
}

/** The day's notifications in one email, oldest first. */
export function digestMail(language: MailLanguage, list: readonly NotificationFacts[]): Mail {
  const ui = UI[language];
  const subject = ui.digest(list.length);
  const text = list.map((f) => `- ${headline(language, f)}\n  ${f.url}`).join('\n');
  const html = list
    .map((f) => `<li><a href="${escapeHtml(f.url)}">${escapeHtml(headline(language, f))}</a></li>`)
    .join('');
  return {
    subject,
    text: `${subject}\n\n${text}\n\n-- \n${ui.footer}\n`,
    html: page(language, `<p style="font-size:16px">${escapeHtml(subject)}</p><ul>${html}</ul>`, ui.footer),
  };
}

export function testMail(language: MailLanguage): Mail {
  const subject = UI[language].test;
  return { subject, text: `${subject}\n`, html: page(language, `<p>${escapeHtml(subject)}</p>`, '') };
}

function page(language: MailLanguage, body: string, footer: string): string {
  return (
    `<!doctype html><html lang="${language}"><body style="font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;color:#1f1f1f">` +
    body +
    (footer ? `<p style="color:#8c8c8c;font-size:12px">${escapeHtml(footer)}</p>` : '') +
    '</body></html>'
  );
}

/** A Feishu / Lark custom bot's interactive card (msg_type "interactive") with a button to the process. */
export function feishuCard(language: MailLanguage, facts: NotificationFacts): unknown {
  return {
    msg_type: 'interactive',
    card: {
      config: { wide_screen_mode: true },
      header: {
        template: facts.kind === 'action_failed' || facts.kind === 'request_rejected' ? 'red' : 'blue',
        title: { tag: 'plain_text', content: 'PeopleFlow' },
      },
      elements: [
        { tag: 'div', text: { tag: 'lark_md', content: headline(language, facts) } },
        {
          tag: 'action',
          actions: [
            {
              tag: 'button',
              type: 'primary',
              text: { tag: 'plain_text', content: UI[language].open },
              url: facts.url,
            },
          ],
        },
      ],
    },
  };
}

/** The generic chat webhook's JSON body (Slack-, Teams-, DingTalk-style relays map it themselves). */
export function genericChatBody(
  language: MailLanguage,
  facts: NotificationFacts,
  recipient: { userId: string; email: string },
  notificationId: string,
): unknown {
  return {
    notification_id: notificationId,
    kind: facts.kind,
    text: headline(language, facts),
    url: facts.url,
    process_id: facts.processId,
    recipient: { user_id: recipient.userId, email: recipient.email },
    created_at: new Date(facts.at).toISOString(),
  };
}
