import React, { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { Button, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';

/** A stand-in card: proves the card test harness (React 18 + HubSpot's renderer) works on its own. */
function PlaceholderCard({ name }: { name: string }) {
  const [clicks, setClicks] = useState(0);
  return (
    <>
      <Text testId="greeting">billwerk connector for {name}</Text>
      <Button testId="count" onClick={() => setClicks((n) => n + 1)}>
        Clicked {clicks} times
      </Button>
    </>
  );
}

describe('card test harness', () => {
  it('renders a card in the deal sidebar and reacts to a click', () => {
    const renderer = createRenderer('crm.record.sidebar');
    renderer.render(<PlaceholderCard name="ACME GmbH" />);

    expect(renderer.findByTestId(Text, 'greeting').text).toBe('billwerk connector for ACME GmbH');
    const button = renderer.findByTestId(Button, 'count');
    expect(button.text).toBe('Clicked 0 times');

    button.trigger('onClick');

    expect(renderer.findByTestId(Button, 'count').text).toBe('Clicked 1 times');
  });
});
