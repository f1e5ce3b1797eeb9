import { randomUUID } from 'node:crypto';

export interface OutgoingMessage {
  /** The notification id, used as the idempotency key: a provider never sends one id twice. */
  id: string;
  channel: 'sms' | 'email';
  to: string;
  subject: string | null;
  body: string;
}

export type ProviderStatus = 'sent' | 'delivered' | 'failed';

/** Thrown by a provider; `permanent` failures (a malformed number) are not retried. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}

/**
 * An SMS or e-mail gateway. Real providers (an SMS platform's HTTP API, SMTP) implement this and are
 * passed to createNotifier; they must forward `message.id` as the client reference so a retried send
 * is recognised by the gateway rather than delivered twice.
 */
export interface MessageProvider {
  readonly name: string;
  send(message: OutgoingMessage): Promise<{ providerRef: string }>;
  /** Delivery report for a sent message. */
  status(providerRef: string): Promise<ProviderStatus>;
}

export interface SandboxMessage extends OutgoingMessage {
  providerRef: string;
  status: ProviderStatus;
  at: Date;
}

/**
 * The offline provider used by default and in tests. It records every accepted message, never
 * accepts the same id twice, reports recipients on its fail-list as undeliverable, and can be told to
 * refuse sends (a gateway outage) so retries can be seen.
 */
export class SandboxProvider implements MessageProvider {
  readonly name: string;
  private readonly byId = new Map<string, SandboxMessage>();
  private readonly byRef = new Map<string, SandboxMessage>();
  private readonly failList: Set<string>;
  private refuseCount = 0;
  private refusing = false;
  /** How many times send() was called, accepted or not (tests count attempts with it). */
  attempts = 0;

  constructor(
    readonly channel: 'sms' | 'email',
    failList: Iterable<string> = [],
  ) {
    this.name = `sandbox-${channel}`;
    this.failList = new Set([...failList].map((r) => r.toLowerCase()));
  }

  /** Refuses the next `count` sends with a temporary error. */
  failNext(count: number): void {
    this.refuseCount = count;
  }

  /** Refuses every send until switched back (a gateway outage). */
  setRefusing(on: boolean): void {
    this.refusing = on;
  }

  /** Messages to this recipient are accepted but reported undeliverable. */
  addToFailList(recipient: string): void {
    this.failList.add(recipient.toLowerCase());
  }

  /** Everything accepted so far, oldest first. */
  messages(): SandboxMessage[] {
    return [...this.byId.values()];
  }

  /** The last message accepted for a recipient (e.g. to read a one-time code in a test). */
  lastTo(recipient: string): SandboxMessage | undefined {
    return this.messages()
      .filter((m) => m.to === recipient)
      .at(-1);
  }

  async send(message: OutgoingMessage): Promise<{ providerRef: string }> {
    this.attempts++;
    const known = this.byId.get(message.id);
    if (known) return { providerRef: known.providerRef };
    if (this.refusing || this.refuseCount > 0) {
      if (this.refuseCount > 0) this.refuseCount--;
      throw new ProviderError(`${this.name} is unavailable`);
    }
    if (this.channel === 'sms' && !/^\+?\d{5,15}$/.test(message.to)) throw new ProviderError(`not a phone number: ${message.to}`, true);
    if (this.channel === 'email' && !/^[^\s@]+@[^\s@]+$/.test(message.to)) throw new ProviderError(`not an e-mail address: ${message.to}`, true);
    const stored: SandboxMessage = { ...message, providerRef: `${this.name}-${randomUUID()}`, status: 'sent', at: new Date() };
    this.byId.set(message.id, stored);
    this.byRef.set(stored.providerRef, stored);
    return { providerRef: stored.providerRef };
  }

  async status(providerRef: string): Promise<ProviderStatus> {
    const message = this.byRef.get(providerRef);
    // A reference we never issued (e.g. after a restart: the sandbox keeps messages in memory).
    if (!message) return 'delivered';
    if (message.status === 'sent') message.status = this.failList.has(message.to.toLowerCase()) ? 'failed' : 'delivered';
    return message.status;
  }
}
