import { lazy } from 'react';
import { createBrowserRouter, Navigate, Outlet, type RouteObject } from 'react-router-dom';
import { Layout } from './Layout';
import { RequireAuth } from './RequireAuth';
import { NotFoundPage } from '../pages/NotFoundPage';

// Each page is its own chunk: the approval center's first load carries only what it shows.
const SignInPage = lazy(() => import('../pages/auth/SignInPage'));
const InvitePage = lazy(() => import('../pages/auth/InvitePage'));
const ApprovalCenterPage = lazy(() => import('../pages/inbox/ApprovalCenterPage'));
const ProfilePage = lazy(() => import('../pages/profile/ProfilePage'));
const FlowPickerPage = lazy(() => import('../pages/request/FlowPickerPage'));
const NewRequestPage = lazy(() => import('../pages/request/NewRequestPage'));
const ProcessPage = lazy(() => import('../pages/process/ProcessPage'));
const PrintPage = lazy(() => import('../pages/process/PrintPage'));
// The admin console: its own chunks, never part of the approval center's first load.
const ConsoleLayout = lazy(() => import('../pages/console/ConsoleLayout'));
const FlowListPage = lazy(() => import('../pages/console/flows/FlowListPage'));
const FlowEditorPage = lazy(() => import('../pages/console/flows/FlowEditorPage'));
const DirectoryPage = lazy(() => import('../pages/console/directory/DirectoryPage'));
const AppsPage = lazy(() => import('../pages/console/apps/AppsPage'));
const DeliveriesPage = lazy(() => import('../pages/console/apps/DeliveriesPage'));
const ProcessSearchPage = lazy(() => import('../pages/console/monitoring/ProcessSearchPage'));
const ProcessAdminPage = lazy(() => import('../pages/console/monitoring/ProcessAdminPage'));

/** The app's URLs (WEB-PLAN.md); mounted at `/` and again under `/t/:tenantKey`. */
function appRoutes(): RouteObject[] {
  return [
    { path: 'sign-in', element: <SignInPage /> },
    { path: 'invite/:token', element: <InvitePage /> },
    {
      // The print view: signed in, without the app's header.
      path: 'approval-center/processes/:processId/print',
      element: (
        <RequireAuth>
          <PrintPage />
        </RequireAuth>
      ),
    },
    {
      element: (
        <RequireAuth>
          <Layout />
        </RequireAuth>
      ),
      children: [
        { index: true, element: <Navigate to="approval-center/todo" replace /> },
        { path: 'approval-center', element: <Navigate to="todo" replace /> },
        { path: 'approval-center/new', element: <FlowPickerPage /> },
        { path: 'approval-center/new/:flowId', element: <NewRequestPage /> },
        { path: 'approval-center/processes/:processId', element: <ProcessPage /> },
        { path: 'approval-center/:tab', element: <ApprovalCenterPage /> },
        { path: 'profile', element: <ProfilePage /> },
        {
          path: 'console',
          element: <ConsoleLayout />,
          children: [
            { index: true, element: <Navigate to="flows" replace /> },
            { path: 'flows', element: <FlowListPage /> },
            { path: 'flows/:flowId/:tab?', element: <FlowEditorPage /> },
            { path: 'directory/:section?', element: <DirectoryPage /> },
            { path: 'apps/:appId?', element: <AppsPage /> },
            { path: 'deliveries', element: <DeliveriesPage /> },
            { path: 'processes', element: <ProcessSearchPage /> },
            { path: 'processes/:processId', element: <ProcessAdminPage /> },
          ],
        },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ];
}

export const routes: RouteObject[] = [
  {
    path: '/',
    element: <Outlet />,
    children: [{ path: 't/:tenantKey', children: appRoutes() }, ...appRoutes()],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
