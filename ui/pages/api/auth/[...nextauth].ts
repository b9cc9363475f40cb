// next-auth's routes, which the UI's session hooks call; without OAUTH2_ACTIVE there is no provider.
import NextAuth from 'next-auth';

export default NextAuth({ providers: [], secret: process.env.NEXTAUTH_SECRET || 'orchestrator-ui-screenshot-lane' });
