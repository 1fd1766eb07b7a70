import type { ReactNode } from 'react';
import { ExclamationCircleOutlined } from '@ant-design/icons';

/** A whole-page message (not found, cannot load): light, unlike antd's Result with its illustrations. */
export function Problem({ title, text, action }: { title: string; text?: string; action?: ReactNode }) {
  return (
    <section className="pf-problem" aria-labelledby="pf-problem-title">
      <ExclamationCircleOutlined className="pf-problem-icon" aria-hidden />
      <h1 id="pf-problem-title" className="pf-problem-title">
        {title}
      </h1>
      {text && <p className="pf-problem-text">{text}</p>}
      {action}
    </section>
  );
}
