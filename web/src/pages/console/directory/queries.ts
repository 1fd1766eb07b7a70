import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ConsoleAdmin,
  ConsoleDepartment,
  ConsoleDepartmentCreate,
  ConsoleDepartmentPatch,
  ConsoleEmployee,
  ConsoleEmployeeCreate,
  ConsoleEmployeePatch,
  ConsoleInvite,
  ConsoleRole,
  ConsoleRoleCreate,
  ConsoleRolePatch,
  EmploymentStatus,
  ImportReport,
  ImportRequest,
  Page,
} from '@contract';
import { api } from '../../../api/client';

const BASE = '/admin/directory';

export const directoryKeys = {
  all: ['console-directory'] as const,
  departments: ['console-directory', 'departments'] as const,
  employees: (filter: EmployeeFilter, pageToken: string | undefined) =>
    ['console-directory', 'employees', filter, pageToken ?? ''] as const,
  roles: ['console-directory', 'roles'] as const,
  admins: ['console-directory', 'admins'] as const,
};

export interface EmployeeFilter {
  query: string;
  department_id: string | undefined;
  employment_status: EmploymentStatus | undefined;
}

/** After any directory write: the console's lists and the pickers' directory (people, departments). */
function useInvalidateDirectory() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: directoryKeys.all }),
      client.invalidateQueries({ queryKey: ['people'] }),
      client.invalidateQueries({ queryKey: ['departments'] }),
    ]);
}

/** The whole tree (flat pages of 500; bounded at 20 pages). */
export function useConsoleDepartments() {
  return useQuery({
    queryKey: directoryKeys.departments,
    queryFn: async ({ signal }) => {
      const all: ConsoleDepartment[] = [];
      let pageToken: string | undefined;
      for (let i = 0; i < 20; i += 1) {
        const page = await api.get<Page<ConsoleDepartment>>(`${BASE}/departments`, {
          query: { page_size: 500, page_token: pageToken },
          signal,
        });
        all.push(...page.items);
        pageToken = page.page_token;
        if (!pageToken) break;
      }
      return all;
    },
  });
}

export function useCreateDepartment() {
  const invalidate = useInvalidateDirectory();
  return useMutation({
    mutationFn: (body: ConsoleDepartmentCreate) => api.post<ConsoleDepartment>(`${BASE}/departments`, body),
    onSuccess: () => invalidate(),
  });
}

export function useUpdateDepartment() {
  const invalidate = useInvalidateDirectory();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: ConsoleDepartmentPatch }) =>
      api.patch<ConsoleDepartment>(`${BASE}/departments/${encodeURIComponent(id)}`, patch),
    onSuccess: () => invalidate(),
  });
}

export function useDeleteDepartment() {
  const invalidate = useInvalidateDirectory();
  return useMutation({
    mutationFn: (id: string) => api.delete<undefined>(`${BASE}/departments/${encodeURIComponent(id)}`),
    onSuccess: () => invalidate(),
  });
}

export function useConsoleEmployees(filter: EmployeeFilter, pageToken: string | undefined, pageSize = 20) {
  return useQuery({
    queryKey: directoryKeys.employees(filter, pageToken),
    queryFn: ({ signal }) =>
      api.get<Page<ConsoleEmployee>>(`${BASE}/employees`, {
        query: { ...filter, page_size: pageSize, page_token: pageToken },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

export function useSaveEmployee() {
  const invalidate = useInvalidateDirectory();
  return useMutation({
    mutationFn: (
      input: { userId: string; patch: ConsoleEmployeePatch } | { create: ConsoleEmployeeCreate },
    ) =>
      'create' in input
        ? api.post<ConsoleEmployee>(`${BASE}/employees`, input.create)
        : api.patch<ConsoleEmployee>(`${BASE}/employees/${encodeURIComponent(input.userId)}`, input.patch),
    onSuccess: () => invalidate(),
  });
}

/** One employee with bank account and ID number in full: fetched only when the admin asks. */
export function useRevealEmployee(userId: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['console-directory', 'employee-revealed', userId ?? ''] as const,
    queryFn: ({ signal }) =>
      api.get<ConsoleEmployee>(`${BASE}/employees/${encodeURIComponent(userId ?? '')}`, {
        query: { reveal: 'sensitive' },
        signal,
      }),
    enabled: enabled && userId !== undefined,
    // Plain sensitive values are not kept around once the editor closes.
    gcTime: 0,
    staleTime: 0,
  });
}

/** A fresh invite link, or a reset (password removed, sessions ended) answering one. */
export function useSignInLink() {
  const invalidate = useInvalidateDirectory();
  return useMutation({
    mutationFn: ({ userId, reset }: { userId: string; reset: boolean }) =>
      api.post<ConsoleInvite>(
        `${BASE}/employees/${encodeURIComponent(userId)}/${reset ? 'reset-password' : 'invite'}`,
      ),
    onSuccess: () => invalidate(),
  });
}

export function useConsoleRoles() {
  return useQuery({
    queryKey: directoryKeys.roles,
    queryFn: async ({ signal }) => {
      const all: ConsoleRole[] = [];
      let pageToken: string | undefined;
      for (let i = 0; i < 20; i += 1) {
        const page = await api.get<Page<ConsoleRole>>(`${BASE}/roles`, {
          query: { page_size: 100, page_token: pageToken },
          signal,
        });
        all.push(...page.items);
        pageToken = page.page_token;
        if (!pageToken) break;
      }
      return all;
    },
  });
}

export function useSaveRole() {
  const invalidate = useInvalidateDirectory();
  return useMutation({
    mutationFn: (input: { roleKey: string; patch: ConsoleRolePatch } | { create: ConsoleRoleCreate }) =>
      'create' in input
        ? api.post<ConsoleRole>(`${BASE}/roles`, input.create)
        : api.patch<ConsoleRole>(`${BASE}/roles/${encodeURIComponent(input.roleKey)}`, input.patch),
    onSuccess: () => invalidate(),
  });
}

export function useDeleteRole() {
  const invalidate = useInvalidateDirectory();
  return useMutation({
    mutationFn: (roleKey: string) => api.delete<undefined>(`${BASE}/roles/${encodeURIComponent(roleKey)}`),
    onSuccess: () => invalidate(),
  });
}

export function useConsoleAdmins() {
  return useQuery({
    queryKey: directoryKeys.admins,
    queryFn: ({ signal }) => api.get<{ items: ConsoleAdmin[] }>('/admin/admins', { signal }),
  });
}

export function useAdminChange() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ userId, grant }: { userId: string; grant: boolean }): Promise<void> => {
      if (grant) await api.put<ConsoleAdmin>(`/admin/admins/${encodeURIComponent(userId)}`, {});
      else await api.delete<undefined>(`/admin/admins/${encodeURIComponent(userId)}`);
    },
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: directoryKeys.admins }),
        client.invalidateQueries({ queryKey: ['me'] }),
      ]),
  });
}

export function useDirectoryImport() {
  const invalidate = useInvalidateDirectory();
  return useMutation({
    mutationFn: (body: ImportRequest) => api.post<ImportReport>(`${BASE}/import`, body),
    onSuccess: (report) => (report.applied ? invalidate() : undefined),
  });
}
