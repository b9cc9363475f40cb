import React from 'react';

import { useRouter } from 'next/router';

import { WfoStartProcessPage } from '@orchestrator-ui/orchestrator-ui-components';

export default function StartPage() {
  const { workflowName } = useRouter().query;
  return typeof workflowName === 'string' ? <WfoStartProcessPage isTask={false} processName={workflowName} /> : null;
}
