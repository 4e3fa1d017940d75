/**
 * Test helpers for the UI extensions: a `hubspot.serverless` mock (the testing library does not mock
 * it) and a typed way to fire input events (the library's `trigger` types its argument as the handler).
 */
import { hubspot } from '@hubspot/ui-extensions';
import type { RenderedElementNode } from '@hubspot/ui-extensions/testing';

type Handler = (uid: string, parameters: unknown) => unknown;

export interface ServerlessMock {
  spy: jest.SpiedFunction<typeof hubspot.serverless>;
  /** Parameters of every call to `uid`, in order. */
  calls(uid: string): unknown[];
  /** Every uid called, in order. */
  uids(): string[];
}

/** Replaces `hubspot.serverless` with `handler` (its return value is what the function "answered"). */
export function mockServerless(handler: Handler): ServerlessMock {
  const spy = jest.spyOn(hubspot, 'serverless');
  const impl = (name: string, options?: { parameters?: unknown }) => Promise.resolve().then(() => handler(name, options?.parameters));
  spy.mockImplementation(impl as typeof hubspot.serverless);
  return {
    spy,
    calls: (uid) => spy.mock.calls.filter((c) => c[0] === uid).map((c) => c[1]?.parameters),
    uids: () => spy.mock.calls.map((c) => c[0]),
  };
}

/** A function that never answers: the component stays in its loading state. */
export const never = (): Promise<never> => new Promise<never>(() => undefined);

/** Fires `event` on `node` with `value` (e.g. an input's onChange). */
export function fire(node: RenderedElementNode<object>, event: string, value?: unknown): void {
  (node.trigger as unknown as (name: string, arg?: unknown) => void)(event, value);
}

interface TextTree {
  text: string | null;
  childNodes?: readonly TextTree[];
}

/** All text under a node, children joined by a space (the library's `.text` is null on mixed parents). */
export function textOf(node: TextTree): string {
  if (!node.childNodes) return node.text ?? '';
  return node.childNodes
    .map((c) => textOf(c))
    .filter((t) => t !== '')
    .join(' ');
}

/**
 * Polls `check` until it passes (or 2 s pass). Unlike the renderer's `waitFor`, it does not depend
 * on a render happening after it is called, so it also sees calls made by async handlers.
 */
export async function until(check: () => void, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() - start > timeoutMs) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

type TestIdTree = object;

/**
 * The test ids under `root` in document order (depth first), keeping only those in `wanted`:
 * for asserting the order in which a card shows its sections.
 */
export function testIdOrder(root: TestIdTree, wanted: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (node: TestIdTree): void => {
    const n = node as { props?: { testId?: unknown }; childNodes?: readonly object[] };
    const testId = n.props?.testId;
    if (typeof testId === 'string' && wanted.includes(testId)) out.push(testId);
    for (const c of n.childNodes ?? []) walk(c);
  };
  walk(root);
  return out;
}
