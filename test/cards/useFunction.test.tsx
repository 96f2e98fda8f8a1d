/**
 * The cards' one hook for app functions: loading / ready / error, and a stale answer (a slower,
 * earlier call) never overwrites the newer one. The settings page's copy is tested the same way.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Button, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { FUNCTIONS } from '../../src/app/cards/shared/functions.js';
import type { Outcome } from '../../src/app/cards/shared/serverless.js';

vi.mock('../../src/app/cards/shared/serverless.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/app/cards/shared/serverless.js')>()),
  callFunction: vi.fn(),
}));
vi.mock('../../src/app/settings/serverless.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/app/settings/serverless.js')>()),
  callFunction: vi.fn(),
}));
const cards = await import('../../src/app/cards/shared/serverless.js');
const settings = await import('../../src/app/settings/serverless.js');
const { useFunction: useCardFunction } = await import('../../src/app/cards/shared/useFunction.js');
const { useFunction: useSettingsFunction } = await import('../../src/app/settings/useFunction.js');

/** Answers are released by hand, in any order. */
function deferredCalls(mock: unknown) {
  const pending: { parameters: Record<string, unknown>; resolve: (outcome: Outcome<unknown>) => void }[] = [];
  vi.mocked(mock as (...args: unknown[]) => Promise<Outcome<unknown>>).mockImplementation(
    (_name: unknown, parameters: unknown) =>
      new Promise((resolve) => pending.push({ parameters: parameters as Record<string, unknown>, resolve })),
  );
  return pending;
}

type Hook = typeof useCardFunction;

function Probe({ hook, uid }: { hook: Hook; uid: string }) {
  const call = hook<{ n: number }>(uid as never);
  const shown =
    call.current.state === 'ready'
      ? `ready ${call.current.value.n}`
      : call.current.state === 'error'
        ? `error ${call.current.problems[0]?.message}`
        : call.current.state;
  return (
    <>
      <Text testId="state">{shown}</Text>
      <Button testId="first" onClick={() => void call.run({ n: 1 })}>
        first
      </Button>
      <Button testId="second" onClick={() => void call.run({ n: 2 })}>
        second
      </Button>
    </>
  );
}

describe.each([
  ['cards', useCardFunction, cards.callFunction, FUNCTIONS.validateDeal],
  ['settings page', useSettingsFunction as unknown as Hook, settings.callFunction, 'settings_status'],
])('useFunction (%s)', (_where, hook, callFunction, uid) => {
  beforeEach(() => {
    vi.mocked(callFunction).mockReset();
  });

  it('is idle, then loading, then shows the answer or the problems', async () => {
    const pending = deferredCalls(callFunction);
    const renderer = createRenderer('crm.record.sidebar');
    renderer.render(<Probe hook={hook} uid={uid} />);
    expect(renderer.findByTestId(Text, 'state').text).toBe('idle');
    renderer.findByTestId(Button, 'first').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'state').text).toBe('loading'));
    expect(vi.mocked(callFunction)).toHaveBeenCalledWith(uid, { n: 1 });
    pending[0]!.resolve({ ok: false, problems: [{ message: 'billwerk is down' }] });
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'state').text).toBe('error billwerk is down'));
  });

  it('drops the answer of an earlier call that arrives after a newer one', async () => {
    const pending = deferredCalls(callFunction);
    const renderer = createRenderer('crm.record.sidebar');
    renderer.render(<Probe hook={hook} uid={uid} />);
    renderer.findByTestId(Button, 'first').trigger('onClick');
    renderer.findByTestId(Button, 'second').trigger('onClick');
    await renderer.waitFor(() => expect(pending).toHaveLength(2));
    pending[1]!.resolve({ ok: true, value: { n: 2 } });
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'state').text).toBe('ready 2'));
    pending[0]!.resolve({ ok: true, value: { n: 1 } });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(renderer.findByTestId(Text, 'state').text).toBe('ready 2');
  });
});
