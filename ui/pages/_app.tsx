// The providers orchestrator-ui's pages need, around its page template; the config comes from the server,
// the pages render in the browser only.
import React, { useEffect, useState } from 'react';

import { SessionProvider } from 'next-auth/react';
import { IntlProvider } from 'next-intl';
import { NextAdapter } from 'next-query-params';
import App, { AppContext, AppProps } from 'next/app';
import { useRouter } from 'next/router';
import { QueryParamProvider } from 'use-query-params';

import { EuiProvider, EuiThemeColorMode } from '@elastic/eui';
import {
  ConfirmationDialogContextWrapper,
  OrchestratorConfig,
  OrchestratorConfigProvider,
  StoreProvider,
  WfoAuth,
  WfoErrorBoundary,
  WfoPageTemplate,
  WfoToastsList,
  useGetTranslationMessages,
  wfoThemeModifications,
} from '@orchestrator-ui/orchestrator-ui-components';

import { orchestratorConfig } from '../config';

function Messages({ children }: { children: React.ReactNode }) {
  const { locale } = useRouter();
  const messages = useGetTranslationMessages(locale);
  return (
    <IntlProvider locale={locale || 'en-GB'} messages={messages} onError={() => undefined}>
      {children}
    </IntlProvider>
  );
}

type Props = AppProps & { pageProps: { orchestratorConfig?: OrchestratorConfig } };

function OrchestratorUi({ Component, pageProps }: Props) {
  const [config] = useState<OrchestratorConfig | undefined>(pageProps.orchestratorConfig);
  const [colorMode, setColorMode] = useState<EuiThemeColorMode>('light');
  const [inBrowser, setInBrowser] = useState(false);
  useEffect(() => setInBrowser(true), []);
  if (!config || !inBrowser) return null; // the components use the browser's DOM and WebSocket: no server render
  return (
    <WfoErrorBoundary>
      <OrchestratorConfigProvider initialOrchestratorConfig={config}>
        <StoreProvider initialOrchestratorConfig={config}>
          <SessionProvider session={null}>
            <WfoAuth>
              <EuiProvider colorMode={colorMode} modify={wfoThemeModifications}>
                <Messages>
                  <ConfirmationDialogContextWrapper>
                    <WfoPageTemplate
                      getAppLogo={() => <span>Orchestrator</span>}
                      colorMode={colorMode}
                      setColorMode={setColorMode}
                    >
                      <QueryParamProvider adapter={NextAdapter} options={{ removeDefaultsFromUrl: false }}>
                        <Component {...pageProps} />
                      </QueryParamProvider>
                    </WfoPageTemplate>
                    <WfoToastsList />
                  </ConfirmationDialogContextWrapper>
                </Messages>
              </EuiProvider>
            </WfoAuth>
          </SessionProvider>
        </StoreProvider>
      </OrchestratorConfigProvider>
    </WfoErrorBoundary>
  );
}

OrchestratorUi.getInitialProps = async (context: AppContext) => {
  const props = await App.getInitialProps(context);
  const onServer = typeof window === 'undefined';
  return { ...props, pageProps: { ...props.pageProps, orchestratorConfig: onServer ? orchestratorConfig() : undefined } };
};

export default OrchestratorUi;
