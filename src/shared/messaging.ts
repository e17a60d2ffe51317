import { parseRequest } from './message-schemas';
import type { Context, MessageName, MessagesTo, RequestOf, ResponseOf } from './protocol';
import { SchemaError } from './schema';

/** What travels: a named request. Requests and responses are JSON (no binary data). */
export interface Envelope<K extends MessageName = MessageName> {
  moodlens: 1;
  type: K;
  payload: RequestOf<K>;
}

/** What comes back: errors travel as data, so every browser reports them the same way. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: string };

export function envelope<K extends MessageName>(type: K, payload: RequestOf<K>): Envelope<K> {
  return { moodlens: 1, type, payload };
}

export function isEnvelope(x: unknown): x is Envelope {
  return (
    typeof x === 'object' &&
    x !== null &&
    (x as { moodlens?: unknown }).moodlens === 1 &&
    typeof (x as { type?: unknown }).type === 'string'
  );
}

export function parseName(name: string): { from: Context; to: Context; what: string } | null {
  const m = /^(popup|bg|content|offscreen|relay)>(popup|bg|content|offscreen|relay):(\w+)$/.exec(name);
  if (!m) return null;
  return { from: m[1] as Context, to: m[2] as Context, what: m[3] as string };
}

/** The parts of a runtime.MessageSender this module looks at. */
export interface SenderInfo {
  id?: string | undefined;
  url?: string | undefined;
  tab?: { id?: number | undefined } | undefined;
  /** The frame of the tab the message came from (0: the top frame). */
  frameId?: number | undefined;
}

export interface Self {
  /** runtime.id */
  id: string;
  /** runtime.getURL('') : the extension's own origin with a trailing slash. */
  origin: string;
}

/**
 * Is `sender` allowed to send a message that claims to come from `from`? Content scripts run in
 * web pages (a tab, a page URL); the other contexts are extension pages of this extension.
 */
export function isTrustedSender(from: Context, sender: SenderInfo, self: Self): boolean {
  if (sender.id !== self.id) return false;
  const extensionPage = typeof sender.url === 'string' && sender.url.startsWith(self.origin);
  if (from === 'content') return sender.tab?.id !== undefined && !extensionPage;
  // the relay is an extension page framed by a content script inside a tab
  if (from === 'relay') return sender.tab?.id !== undefined && extensionPage;
  // The background's own sender URL is its worker / event page; the popup may also be opened as a tab.
  return extensionPage;
}

export type Handler<K extends MessageName> = (
  request: RequestOf<K>,
  sender: SenderInfo,
) => ResponseOf<K> | Promise<ResponseOf<K>>;

export type HandlerMap<C extends Context> = { [K in MessagesTo<C>]: Handler<K> };

/**
 * A runtime.onMessage listener for context `to`: answers the messages addressed to it from trusted
 * senders whose payload passes its schema (src/shared/message-schemas.ts), and returns undefined
 * for everything else so that another context may answer.
 */
export function createDispatcher<C extends Context>(
  to: C,
  handlers: HandlerMap<C>,
  self: () => Self,
  onError: (name: string, error: unknown) => void = () => undefined,
): (message: unknown, sender: SenderInfo) => Promise<Reply<unknown>> | undefined {
  return (message, sender) => {
    if (!isEnvelope(message)) return undefined;
    const name = parseName(message.type);
    if (!name || name.to !== to) return undefined;
    const handler = (handlers as unknown as Record<string, Handler<MessageName> | undefined>)[message.type];
    if (!handler) return Promise.resolve({ ok: false, error: `no handler for ${message.type}` });
    if (!isTrustedSender(name.from, sender, self())) {
      return Promise.resolve({ ok: false, error: `${message.type} refused: untrusted sender` });
    }
    let request: RequestOf<MessageName>;
    try {
      request = parseRequest(message.type, message.payload);
    } catch (error) {
      // a malformed message is refused before any handler sees it, with the reason logged once here
      const reason = error instanceof SchemaError ? error.message : String(error);
      console.warn(`[MoodLens] refused a malformed message: ${reason}`);
      return Promise.resolve({ ok: false, error: `${message.type} refused: ${reason}` });
    }
    return (async (): Promise<Reply<unknown>> => {
      try {
        return { ok: true, value: await handler(request, sender) };
      } catch (error) {
        onError(message.type, error);
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    })();
  };
}

/** Sends a raw message and resolves with the raw reply (runtime.sendMessage, tabs.sendMessage). */
export type Transport = (message: Envelope) => Promise<unknown>;

export class MessageError extends Error {
  constructor(
    readonly messageName: MessageName,
    detail: string,
  ) {
    super(`${messageName}: ${detail}`);
    this.name = 'MessageError';
  }
}

function isReply<T>(x: unknown): x is Reply<T> {
  return typeof x === 'object' && x !== null && typeof (x as { ok?: unknown }).ok === 'boolean';
}

export async function send<K extends MessageName>(
  transport: Transport,
  type: K,
  payload: RequestOf<K>,
): Promise<ResponseOf<K>> {
  const reply: unknown = await transport(envelope(type, payload));
  if (!isReply<ResponseOf<K>>(reply)) {
    throw new MessageError(type, 'no receiver answered');
  }
  if (!reply.ok) throw new MessageError(type, reply.error);
  return reply.value;
}
