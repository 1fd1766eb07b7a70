import { Type } from 'typebox';
import type { Services } from '../../services/index.js';
import type { HttpApp } from '../http-app.js';
import type { DepartmentRef, Page, PersonRef } from './contract.js';
import { personOf as personRefOf } from './render.js';
import { personOf } from './index.js';
import { decodePeopleCursor, encodePeopleCursor, PageTokenQuery, SearchText } from './paging.js';

const PeopleQuery = Type.Object(
  {
    query: Type.Optional(SearchText),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
    page_token: Type.Optional(PageTokenQuery),
  },
  { additionalProperties: false },
);
const DepartmentsQuery = Type.Object(
  {
    query: Type.Optional(SearchText),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 500 })),
    page_token: Type.Optional(PageTokenQuery),
  },
  { additionalProperties: false },
);

/** The directory for pickers: active people and departments of the person's own tenant. */
export function registerDirectoryRoutes(app: HttpApp, services: Services): void {
  app.get(
    '/people',
    { schema: { querystring: PeopleQuery, tags: ['people API'], summary: 'Active people, by name' } },
    async (request, reply) => {
      const session = personOf(request);
      const { query, page_size: pageSize = 50, page_token: token } = request.query;
      const after = decodePeopleCursor(reply, token, `people:${query ?? ''}`);
      if (after === null) return reply;
      const { page, directory } = await services.approvalCenter.people(session, query, pageSize, after);
      const body: Page<PersonRef> = {
        items: page.items.map((e) => personRefOf(e, directory)),
        ...(page.next !== undefined
          ? { page_token: encodePeopleCursor(page.next, `people:${query ?? ''}`) }
          : {}),
      };
      return body;
    },
  );

  app.get(
    '/departments',
    { schema: { querystring: DepartmentsQuery, tags: ['people API'], summary: 'Departments, by name' } },
    async (request, reply) => {
      const session = personOf(request);
      const { query, page_size: pageSize = 500, page_token: token } = request.query;
      const after = decodePeopleCursor(reply, token, `departments:${query ?? ''}`);
      if (after === null) return reply;
      const { page, directory } = await services.approvalCenter.departments(session, query, pageSize, after);
      const body: Page<DepartmentRef> = {
        items: page.items.map((d) => {
          const parent = d.parentId !== null ? directory.departments.get(d.parentId) : undefined;
          return {
            department_id: d.departmentId,
            name: d.name,
            ...(parent ? { parent_department_id: parent.departmentId } : {}),
          };
        }),
        ...(page.next !== undefined
          ? { page_token: encodePeopleCursor(page.next, `departments:${query ?? ''}`) }
          : {}),
      };
      return body;
    },
  );
}
