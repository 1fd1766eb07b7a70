import { lazy, type ComponentType } from 'react';
import { createBrowserRouter, Navigate, Outlet, type RouteObject } from 'react-router-dom';
import { Layout } from './Layout';
import { RequireAuth } from './RequireAuth';
import { NotFoundPage } from '../pages/NotFoundPage';
import { CONSOLE_NAMESPACES, loadCatalogues } from '../i18n';

/**
 * Each page is its own chunk, fetched with the catalogues only it needs: the approval center's first
 * load carries only what it shows.
 */
function page(load: () => Promise<{ default: ComponentType }>, namespaces: readonly string[] = []) {
  return lazy(async () => {
    const [module] = await Promise.all([load(), loadCatalogues(namespaces)]);
    return module;
  });
}
// Pages that show a form or a process: their catalogues load with them, not with the approval center.
const FORM = ['request', 'process'];
const SignInPage = page(() => import('../pages/auth/SignInPage'), ['auth']);
const InvitePage = page(() => import('../pages/auth/InvitePage'), ['auth']);
const ApprovalCenterPage = page(() => import('../pages/inbox/ApprovalCenterPage'));
// The out-of-office card's person picker speaks the request form's words.
const ProfilePage = page(() => import('../pages/profile/ProfilePage'), ['profile', 'request']);
const FlowPickerPage = page(() => import('../pages/request/FlowPickerPage'), FORM);
const NewRequestPage = page(() => import('../pages/request/NewRequestPage'), FORM);
const ProcessPage = page(() => import('../pages/process/ProcessPage'), [...FORM, 'onApproval']);
const PrintPage = page(() => import('../pages/process/PrintPage'), FORM);
// The admin console: its own chunks, never part of the approval center's first load. Every console
// page renders inside the layout, so the layout brings the console's texts.
const ConsoleLayout = page(() => import('../pages/console/ConsoleLayout'), [...CONSOLE_NAMESPACES, ...FORM]);
const FlowListPage = page(() => import('../pages/console/flows/FlowListPage'));
const FlowEditorPage = page(() => import('../pages/console/flows/FlowEditorPage'));
const DirectoryPage = page(() => import('../pages/console/directory/DirectoryPage'));
const AppsPage = page(() => import('../pages/console/apps/AppsPage'));
const DeliveriesPage = page(() => import('../pages/console/apps/DeliveriesPage'));
const ProcessSearchPage = page(() => import('../pages/console/monitoring/ProcessSearchPage'));
const ProcessAdminPage = page(() => import('../pages/console/monitoring/ProcessAdminPage'));
const LeavePage = page(() => import('../pages/console/leave/LeavePage'));
const FailedJobsPage = page(() => import('../pages/console/monitoring/FailedJobsPage'));
const CalendarPage = page(() => import('../pages/console/calendar/CalendarPage'));
// Its words load with it: no other console page needs them.
const SmtpPage = page(() => import('../pages/console/smtp/SmtpPage'), ['consoleSmtp']);

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
            { path: 'leave', element: <LeavePage /> },
            { path: 'processes/failed-jobs', element: <FailedJobsPage /> },
            { path: 'calendar', element: <CalendarPage /> },
            { path: 'smtp', element: <SmtpPage /> },
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
