import { afterEach, describe, expect, test, vi } from 'vitest';
import { api, ApiError } from './client';

function answer(status: number, body: unknown) {
  vi.stubGlobal(
    'fetch',
    vi.fn(() => Promise.resolve(new Response(JSON.stringify(body), { status }))),
  );
}

describe('the API client', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  test('an error keeps every field the server sent (a refused publish keeps its problems)', async () => {
    const problems = [
      { field: 'rules.validations[0].expression', description: 'not a bool', field_api_name: 'days' },
      { field: 'nodes[1].approvers', description: 'empty', node_id: 'manager' },
    ];
    answer(400, {
      error: {
        code: 'invalid_field',
        message: 'the flow has problems',
        violations: [{ field: 'document', description: '2 problems' }],
        problems,
      },
    });
    const error = await api.get('/admin/flows/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.code).toBe('invalid_field');
    expect(apiError.violations).toEqual([{ field: 'document', description: '2 problems' }]);
    expect(apiError.details.problems).toEqual(problems);
  });

  test('an error without extras has code, message and no violations', async () => {
    answer(409, { error: { code: 'in_use', message: 'still used' } });
    const error = (await api.get('/admin/x').catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('in_use');
    expect(error.violations).toEqual([]);
    expect(error.details).toEqual({ code: 'in_use', message: 'still used' });
  });
});
