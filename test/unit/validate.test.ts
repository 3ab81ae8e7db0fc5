import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError } from '../../service/domain/errors.js';
import { campusPrintInput } from '../../service/http/handlers/certificates-campus.js';
import { storeInput } from '../../service/http/handlers/store.js';
import { placeOrderInput } from '../../service/http/routes/certificates-flow.js';
import { validate, validated, type InputSchemas } from '../../service/http/validate.js';

/** Runs `validate` on a request; answers what it parsed or the error it passed on. */
function run(
  schemas: InputSchemas,
  req: { body?: unknown; params?: Record<string, string>; query?: Record<string, unknown> },
  refuse?: Parameters<typeof validate>[1],
) {
  const res = { locals: {} as Record<string, unknown> };
  let passed: unknown = 'not called';
  validate(schemas, refuse)({ params: {}, query: {}, ...req } as never, res as never, (err?: unknown) => (passed = err));
  if (passed instanceof DomainError) return { error: { code: passed.code, fields: passed.fields } };
  return { input: validated(res, schemas) };
}

const item = { typeCode: 'transcript', language: 'ja', copies: 1 };

describe('validate at the edge', () => {
  it('keys order body failures by their full path, with the schema’s codes', () => {
    const failed = run(placeOrderInput, { body: { studentId: 'S1', destination: 'campus', items: [item, { ...item, copies: 0 }] } });
    expect(failed.error).toEqual({ code: 'validation.failed', fields: { 'items.1.copies': 'order.copiesInvalid' } });
    expect(run(placeOrderInput, { body: { studentId: 'S1', destination: 'campus' } }).error?.fields).toEqual({ items: 'order.empty' });
    expect(run(placeOrderInput, { body: { destination: 'campus', items: [item] } }).error?.fields).toEqual({ studentId: 'required' });
  });

  it('asks for the postal address only for 郵送, and drops it otherwise', () => {
    const order = { studentId: 'S1', items: [item] };
    expect(run(placeOrderInput, { body: { ...order, destination: 'mail' } }).error?.fields).toEqual({ postalAddress: 'required' });
    expect(run(placeOrderInput, { body: { ...order, destination: 'campus', postalAddress: { kind: 'nonsense' } } }).input?.body).toEqual({
      ...order,
      destination: 'campus',
    });
  });

  it('answers a malformed address as not found, a malformed claim as a lost claim', () => {
    const claim = 'c'.repeat(20);
    expect(run(storeInput.document, { params: { number: '1234567', claimId: claim, file: '2026-1.pdf' } }).error?.code).toBe('notFound');
    expect(run(storeInput.document, { params: { number: '12345678', claimId: 'bad claim', file: 'x.txt' } }).error?.code).toBe('notFound');
    expect(run(storeInput.document, { params: { number: '12345678', claimId: 'bad claim', file: '2026-1.pdf' } }).error?.code).toBe('reservation.claimLost');
    expect(run(storeInput.document, { params: { number: '12345678', claimId: claim, file: '2026-1.pdf' } }).input?.params).toEqual({
      number: '12345678',
      claimId: claim,
      file: '2026-1',
    });
    const campus = (params: Record<string, string>, query: Record<string, unknown>) =>
      run(campusPrintInput.document, { params, query }, { query: 'campus.claimLost' });
    expect(campus({ id: 'job 1', file: '2026-1.pdf' }, {}).error?.code).toBe('campus.notFound');
    expect(campus({ id: 'job1', file: '2026-1.pdf' }, {}).error?.code).toBe('campus.claimLost');
    expect(campus({ id: 'job1', file: '2026-1.pdf' }, { claim }).input?.query).toEqual({ claim });
  });

  it('checks the parts in the order the route names them, and reads a repeated query parameter once', () => {
    const schemas = { body: z.object({ reason: z.string({ error: 'required' }) }), params: z.object({ id: z.string().regex(/^a$/, 'notFound') }) };
    expect(run(schemas, { body: {}, params: { id: 'b' } }).error?.code).toBe('validation.failed');
    expect(run({ params: schemas.params, body: schemas.body }, { body: {}, params: { id: 'b' } }).error?.code).toBe('notFound');
    expect(run({ query: z.object({ kind: z.enum(['a', 'b'], { error: 'invalid' }) }) }, { query: { kind: ['b', 'c'] } }).input?.query).toEqual({ kind: 'b' });
  });
});
