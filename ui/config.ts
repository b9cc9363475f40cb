// The UI's settings, read on the server from the environment (scripts/test-ui sets them): where our API is.
import type { OrchestratorConfig } from '@orchestrator-ui/orchestrator-ui-components';

const env = (name: string, fallback = ''): string => process.env[name] ?? fallback;

export const orchestratorConfig = (): OrchestratorConfig => {
  const api = env('ORCHESTRATOR_API_HOST', 'http://127.0.0.1:8080');
  return {
    orchestratorApiBaseUrl: `${api}/api`,
    graphqlEndpointCore: `${api}/api/graphql`,
    environmentName: env('ENVIRONMENT_NAME', 'Development'),
    orchestratorWebsocketUrl: `${api.replace(/^http/, 'ws')}/api/ws/events`,
    authActive: env('OAUTH2_ACTIVE', 'false').toLowerCase() === 'true',
    useWebSockets: env('USE_WEB_SOCKETS', 'true').toLowerCase() === 'true',
    useThemeToggle: false,
    workflowInformationLinkUrl: '',
    showWorkflowInformationLink: false,
    enableSupportMenuItem: false,
    supportMenuItemUrl: '',
    enableAoStackStatus: false,
    aoStackStatusUrl: '',
  } as OrchestratorConfig;
};
