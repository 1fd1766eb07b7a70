import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { envelope, envelopeJson } from './envelope.js';

test('envelopeJson is JSON.stringify(envelope(…)) byte for byte, for any stored event body', () => {
  fc.assert(
    fc.property(
      fc.dictionary(fc.string(), fc.jsonValue()),
      fc.string(),
      fc.string(),
      fc.nat(),
      fc.string(),
      (event, eventType, token, createdAt, tenantKey) => {
        const delivery = {
          event_id: 'e0123456789abcdef0123456789abcdef',
          event_type: eventType,
          created_at: createdAt,
          // As the fan-out stores it.
          event: JSON.stringify(event),
        };
        const app = { appId: 'cli_a1b2c3', verificationToken: token };
        assert.equal(
          envelopeJson(delivery, app, tenantKey),
          JSON.stringify(envelope(delivery, app, tenantKey)),
        );
      },
    ),
    { numRuns: 500 },
  );
});
