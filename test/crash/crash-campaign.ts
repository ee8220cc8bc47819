/**
 * The campaign the crash test runs: every recipient gets a message on each channel.
 */
import type { Recipient } from '../../src/connectors/connector.js';
import type { CampaignSpecInput } from '../../src/spec/campaign-schema.js';

/** Channels of the crash campaign: step id → the sandbox platform that records its deliveries. */
export const CRASH_CHANNELS = { welcome: 'sendgrid', offer: 'sendgrid' } as const;

/** Two emails with different subjects (each its own deliveries) to the whole list. */
export const crashSpec: CampaignSpecInput = {
  name: 'Crash test',
  audience: { segment: 'all' },
  onStepFailure: 'continue',
  retry: { initialInterval: 'PT0.05S', maximumAttempts: 5 },
  steps: [
    {
      id: 'welcome',
      platform: 'email',
      action: 'email',
      content: { subject: 'Welcome', html: '<p>hi</p>' },
    },
    {
      id: 'offer',
      platform: 'email',
      action: 'email',
      content: { subject: 'Offer', html: '<p>10% off</p>' },
    },
  ],
};

/** `count` recipients `r00000`…, each with an email address. */
export function crashRecipients(count: number): Recipient[] {
  return Array.from({ length: count }, (_, i) => {
    const id = `r${String(i).padStart(5, '0')}`;
    return { id, email: `${id}@crash.example`, phone: `+1555${String(i).padStart(7, '0')}` };
  });
}
