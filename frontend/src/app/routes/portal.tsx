import { lazy } from 'preact-iso';

// The customer portal is its own small app: its code loads only when a /portal/ address is opened,
// so the agents' first page does not carry it.
export const PortalRoute = lazy(() => import('@/features/portal/components/portal-app').then((m) => m.PortalApp));
