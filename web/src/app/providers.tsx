import { useEffect, useState, type ReactNode } from 'react';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { I18nextProvider } from 'react-i18next';
import i18n from '../i18n';
import { isApiError } from '../api/client';
import { queryKeys } from '../api/keys';
import { noteSessionExpired } from './sessionExpiry';

export function makeQueryClient(): QueryClient {
  // Any call answered 401 means the session is gone (expired, signed out elsewhere): forget the
  // person, and the auth guard sends them to sign in, saying why.
  const onError = (error: unknown) => {
    if (isApiError(error, 'unauthenticated') && client.getQueryData(queryKeys.me)) {
      noteSessionExpired();
      client.setQueryData(queryKeys.me, null);
    }
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        // The live stream invalidates what changed; a focus refetch catches anything missed.
        refetchOnWindowFocus: true,
        // A 4xx will not get better by asking again.
        retry: (count, error) => !(isApiError(error) && error.status < 500) && count < 2,
      },
      mutations: { retry: false },
    },
  });
  return client;
}

const queryClient = makeQueryClient();

function applyDayjsAndDocument(language: string): void {
  dayjs.locale(language.startsWith('zh') ? 'zh-cn' : 'en');
  document.documentElement.lang = language;
}

/** Query cache, translations, and Ant Design in the shown language; all follow language changes. */
export function Providers({ children }: { children: ReactNode }) {
  const [language, setLanguage] = useState(i18n.language);
  useEffect(() => {
    applyDayjsAndDocument(i18n.language);
    const changed = (next: string) => {
      applyDayjsAndDocument(next);
      setLanguage(next);
    };
    i18n.on('languageChanged', changed);
    return () => {
      i18n.off('languageChanged', changed);
    };
  }, []);
  return (
    <QueryClientProvider client={queryClient}>
      <I18nextProvider i18n={i18n}>
        <ConfigProvider
          locale={language.startsWith('zh') ? zhCN : enUS}
          theme={{
            // Darker than antd's defaults where they fall under 4.5:1 contrast on white (axe, WCAG AA):
            // secondary, tertiary and placeholder greys, error red (danger buttons) and link blue. Hover
            // and pressed shades go darker, not lighter: the pointer rests on a button after a click.
            token: {
              colorPrimary: '#1f5fbf',
              colorPrimaryHover: '#1a4f9f',
              colorPrimaryActive: '#163f80',
              colorPrimaryTextHover: '#1a4f9f',
              colorLinkHover: '#1a4f9f',
              colorLinkActive: '#163f80',
              colorErrorHover: '#a31818',
              colorErrorActive: '#8a1414',
              colorError: '#c41d1d',
              colorInfo: '#1f5fbf',
              colorLink: '#1f5fbf',
              colorTextSecondary: '#59636e',
              colorTextTertiary: '#59636e',
              colorTextDescription: '#59636e',
              colorTextPlaceholder: '#6b7280',
              colorTextQuaternary: '#6b7280',
              borderRadius: 6,
            },
          }}
          // No space inserted between two Chinese characters on buttons: "拒绝" stays the button's name.
          button={{ autoInsertSpace: false }}
        >
          <AntApp>{children}</AntApp>
        </ConfigProvider>
      </I18nextProvider>
    </QueryClientProvider>
  );
}
