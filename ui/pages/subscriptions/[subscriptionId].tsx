import { WfoSubscriptionDetailPage } from '@orchestrator-ui/orchestrator-ui-components';

export default WfoSubscriptionDetailPage;
