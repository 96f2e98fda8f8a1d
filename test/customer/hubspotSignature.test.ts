import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureUri, signHubSpotRequest, verifyHubSpotSignature } from '../../src/core/hubspotSignature.js';

const secret = 'client-secret-123';
const uri = 'https://acme.example/hs/serverless/hubspot/events';
const body = '[{"objectId":101,"propertyName":"name","propertyValue":"Jürgen AG"}]';
const now = new Date('2026-03-01T10:00:00.000Z');

describe('verifyHubSpotSignature', () => {
  it('accepts what HubSpot documents: base64 HMAC-SHA256 over method + uri + body + timestamp', () => {
    const timestamp = String(now.getTime());
    // Computed independently of the module under test.
    const signature = createHmac('sha256', secret).update(`POST${uri}${body}${timestamp}`).digest('base64');
    const headers = { 'X-HubSpot-Signature-v3': signature, 'X-HubSpot-Request-Timestamp': timestamp };
    expect(verifyHubSpotSignature({ method: 'POST', uris: [uri], headers, rawBody: body }, secret, now)).toEqual({ ok: true });
  });

  it('rejects a changed body, another secret, another URL', () => {
    const headers = signHubSpotRequest(secret, 'POST', uri, body, now);
    const check = (overrides: Partial<{ body: string; secret: string; uri: string }>) =>
      verifyHubSpotSignature(
        { method: 'POST', uris: [overrides.uri ?? uri], headers, rawBody: overrides.body ?? body },
        overrides.secret ?? secret,
        now,
      );
    expect(check({ body: body.replace('101', '102') })).toEqual({ ok: false, reason: 'signature does not match' });
    expect(check({ secret: 'other-secret' })).toEqual({ ok: false, reason: 'signature does not match' });
    expect(check({ uri: 'https://evil.example/hs/serverless/hubspot/events' })).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('rejects timestamps older than 5 minutes and accepts those just inside', () => {
    const sentAt = new Date(now.getTime() - 5 * 60 * 1000 - 1);
    const stale = signHubSpotRequest(secret, 'POST', uri, body, sentAt);
    expect(verifyHubSpotSignature({ method: 'POST', uris: [uri], headers: stale, rawBody: body }, secret, now)).toEqual({
      ok: false,
      reason: 'timestamp is older than 5 minutes',
    });
    const recent = signHubSpotRequest(secret, 'POST', uri, body, new Date(now.getTime() - 4 * 60 * 1000));
    expect(verifyHubSpotSignature({ method: 'POST', uris: [uri], headers: recent, rawBody: body }, secret, now)).toEqual({ ok: true });
  });

  it('rejects missing headers and a non-numeric timestamp', () => {
    expect(verifyHubSpotSignature({ method: 'POST', uris: [uri], headers: {}, rawBody: body }, secret, now).ok).toBe(false);
    const headers = { ...signHubSpotRequest(secret, 'POST', uri, body, now), 'X-HubSpot-Request-Timestamp': 'yesterday' };
    expect(verifyHubSpotSignature({ method: 'POST', uris: [uri], headers, rawBody: body }, secret, now).ok).toBe(false);
  });

  it('accepts a match on any candidate URL (configured public URL or the one the function saw)', () => {
    const headers = signHubSpotRequest(secret, 'POST', uri, body, now);
    expect(verifyHubSpotSignature({ method: 'POST', uris: ['https://internal/x', uri], headers, rawBody: body }, secret, now)).toEqual({
      ok: true,
    });
  });
});

describe('signatureUri', () => {
  it('decodes the escapes HubSpot decodes and leaves others alone', () => {
    expect(signatureUri('https://a.example/p?x=%3A%2F%3F%40%21%24%27%28%29%2A%2C%3B&y=%20%26')).toBe(
      "https://a.example/p?x=:/?@!$'()*,;&y=%20%26",
    );
  });
});
