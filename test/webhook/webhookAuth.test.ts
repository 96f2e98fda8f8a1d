import { describe, expect, it } from 'vitest';
import { authenticateBillwerkWebhook, parseBasicAuth } from '../../src/core/webhookAuth.js';

const basicConfig = { BILLWERK_WEBHOOK_USER: 'billwerk-webhooks', BILLWERK_WEBHOOK_PASSWORD: 'correct horse battery' };
const tokenConfig = { BILLWERK_WEBHOOK_TOKEN: 'tok_0123456789abcdefghijklmnop' };
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('billwerk webhook authentication', () => {
  it('accepts the configured HTTP Basic credentials', () => {
    const result = authenticateBillwerkWebhook(
      { headers: { authorization: basic('billwerk-webhooks', 'correct horse battery') }, query: {} },
      basicConfig,
    );
    expect(result).toEqual({ ok: true, method: 'basic' });
  });

  it.each([
    ['wrong password', basic('billwerk-webhooks', 'correct horse batterY')],
    ['wrong user', basic('billwerk', 'correct horse battery')],
    ['password prefix', basic('billwerk-webhooks', 'correct horse')],
    ['empty credentials', basic('', '')],
  ])('rejects %s', (_, header) => {
    expect(authenticateBillwerkWebhook({ headers: { authorization: header }, query: {} }, basicConfig)).toEqual({
      ok: false,
      reason: 'wrong credentials',
    });
  });

  it('reports missing credentials when neither header nor token is sent', () => {
    expect(authenticateBillwerkWebhook({ headers: {}, query: {} }, basicConfig)).toEqual({ ok: false, reason: 'missing credentials' });
    expect(authenticateBillwerkWebhook({ headers: { authorization: 'Bearer abc' }, query: {} }, basicConfig)).toEqual({
      ok: false,
      reason: 'missing credentials',
    });
  });

  it('accepts the token query parameter when a token is configured, and only then', () => {
    const request = { headers: {}, query: { token: tokenConfig.BILLWERK_WEBHOOK_TOKEN } };
    expect(authenticateBillwerkWebhook(request, tokenConfig)).toEqual({ ok: true, method: 'token' });
    expect(authenticateBillwerkWebhook(request, basicConfig)).toEqual({ ok: false, reason: 'wrong credentials' });
    expect(authenticateBillwerkWebhook({ headers: {}, query: { token: 'tok_0123456789abcdefghijklmnoX' } }, tokenConfig).ok).toBe(false);
  });

  it('accepts either method when both are configured', () => {
    const both = { ...basicConfig, ...tokenConfig };
    expect(
      authenticateBillwerkWebhook({ headers: { authorization: basic('billwerk-webhooks', 'correct horse battery') }, query: {} }, both).ok,
    ).toBe(true);
    expect(
      authenticateBillwerkWebhook(
        { headers: { authorization: basic('x', 'y') }, query: { token: tokenConfig.BILLWERK_WEBHOOK_TOKEN } },
        both,
      ),
    ).toEqual({ ok: true, method: 'token' });
  });

  it('parses passwords that contain colons and rejects headers without one', () => {
    expect(parseBasicAuth(basic('u', 'a:b:c'))).toEqual({ user: 'u', password: 'a:b:c' });
    expect(parseBasicAuth(`Basic ${Buffer.from('nocolon').toString('base64')}`)).toBeUndefined();
  });
});
