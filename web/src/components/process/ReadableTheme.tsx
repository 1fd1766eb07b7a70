import type { ReactNode } from 'react';
import { ConfigProvider } from 'antd';

/**
 * Ant Design's default secondary, tertiary and placeholder greys, its error red and its link blue fall
 * short of WCAG AA contrast on white (axe: color-contrast, serious). These screens darken them; everything else inherits the app's theme.
 */
const READABLE = {
  token: {
    colorTextSecondary: '#59636e',
    colorTextDescription: '#59636e',
    colorTextTertiary: '#59636e',
    colorTextPlaceholder: '#6b7280',
    colorTextQuaternary: '#6b7280',
    // Seeds: antd derives error texts, danger buttons and links from these.
    colorError: '#c62828',
    colorInfo: '#1f5fbf',
    colorLink: '#1f5fbf',
  },
};

export function ReadableTheme({ children }: { children: ReactNode }) {
  // No space inserted between two Chinese characters on buttons: "拒绝" stays the button's name.
  return (
    <ConfigProvider theme={READABLE} button={{ autoInsertSpace: false }}>
      {children}
    </ConfigProvider>
  );
}

/** Status tags with dark text on a light fill (the preset colours' text is too light for AA). */
export const TONE_STYLE: Record<
  'blue' | 'green' | 'red' | 'orange' | 'gray',
  { color: string; background: string; borderColor: string }
> = {
  blue: { color: '#0b3f91', background: '#e8f1ff', borderColor: '#a9c8f5' },
  green: { color: '#1d5a0a', background: '#eefbe6', borderColor: '#b4e29a' },
  red: { color: '#9b1c1c', background: '#fdecec', borderColor: '#f3b2b2' },
  orange: { color: '#7a3d00', background: '#fff3e0', borderColor: '#f5c98a' },
  gray: { color: '#3d4550', background: '#f1f3f5', borderColor: '#d5d9de' },
};
