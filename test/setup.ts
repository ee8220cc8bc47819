import { afterEach, beforeEach, expect, vi, type MockInstance } from 'vitest';

/** Fails any test that writes to the console: output belongs to the CLI's injected streams. */
const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
let spies: MockInstance[] = [];

beforeEach(() => {
  spies = methods.map((method) => vi.spyOn(console, method));
});

afterEach(() => {
  const calls = spies.flatMap((spy) => spy.mock.calls);
  for (const spy of spies) spy.mockRestore();
  expect(calls, 'the test wrote to the console').toEqual([]);
});
