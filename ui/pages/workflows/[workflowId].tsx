import React from 'react';

import { useRouter } from 'next/router';

import { WfoProcessDetailPage } from '@orchestrator-ui/orchestrator-ui-components';

export default function ProcessPage() {
  const { workflowId } = useRouter().query;
  return typeof workflowId === 'string' ? <WfoProcessDetailPage processId={workflowId} /> : null;
}
