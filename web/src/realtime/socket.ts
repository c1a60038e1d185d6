// The live connection of one browser tab to the current account: one WebSocket, opened with a
// one-time ticket (POST …/realtime/tickets), that receives the account's events as this person
// may see them. It remembers the last event's sequence number and, after any drop, reconnects
// with jittered exponential backoff and a fresh ticket, then resumes from that number: events
// missed meanwhile are replayed by the server, or, when the server's log no longer reaches back
// that far, subscribers are told to refetch ("reset").
import { createSignal, type Accessor } from "solid-js";
import type { ClientFrame, PROTOCOL_VERSION, ServerFrame } from "../../../worker/shared/request-api";

/** The protocol this portal speaks. Typed against the server's: a bump fails the type check here. */
const PROTOCOL: typeof PROTOCOL_VERSION = 1;

export type LiveEvent = Extract<ServerFrame, { type: "event" }>;
/** "What you see of this topic changed": refetch it (see worker/shared/live-topics.ts). */
export type LiveInvalidation = Extract<ServerFrame, { type: "invalidate" }>;
/** What the connection hands on, in sequence order: request events and invalidations. */
export type LiveFrame = LiveEvent | LiveInvalidation;
/** A new notification for this person (not in the event sequence: the bell refetches after a reconnect). */
export type LiveNotification = Extract<ServerFrame, { type: "notification" }>;

/**
 * connecting: the first connection is being opened. live: connected and caught up.
 * reconnecting: the connection dropped; waiting or trying again. outdated: the server speaks a
 * newer protocol (reload the page). stopped: no access (signed out, removed) or closed.
 */
export type ConnectionState = "connecting" | "live" | "reconnecting" | "outdated" | "stopped";

export interface SocketTicket {
	url: string;
}

export interface RealtimeOptions {
	/** A fresh one-time ticket; rejects with `{ status }` 401/403/404 when access is gone. */
	ticket: () => Promise<SocketTicket>;
}

export const BACKOFF_MIN_MS = 500;
export const BACKOFF_MAX_MS = 15_000;
export const BACKOFF_JITTER = 0.3;
/** A ping this often while live; no pong within PONG_TIMEOUT_MS means the connection is dead. */
const HEARTBEAT_MS = 25_000;
const PONG_TIMEOUT_MS = 10_000;
/** The exact text the server answers without waking the account (its auto-response). */
const HEARTBEAT_FRAME = JSON.stringify({ type: "ping" } satisfies ClientFrame);
/**
 * The same ping in other bytes: it bypasses the auto-response, so the account itself answers it,
 * after the resume sent before it. Its pong therefore says that the replay is complete.
 */
const SYNC_FRAME = '{ "type": "ping" }';

/** Delay before reconnect attempt `attempt` (0-based): 0.5 s doubling to 15 s, ±30 %. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
	const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(attempt, 16));
	return Math.round(base * (1 + (random() * 2 - 1) * BACKOFF_JITTER));
}

/** A status from the ticket call that means: stop, access is gone. */
function accessGone(err: unknown): boolean {
	const status = typeof err === "object" && err !== null && "status" in err ? (err as { status: unknown }).status : undefined;
	return status === 401 || status === 403 || status === 404;
}

export class RealtimeConnection {
	readonly #options: RealtimeOptions;
	readonly #listeners = new Set<(frame: LiveFrame) => void>();
	readonly #resetListeners = new Set<() => void>();
	readonly #notificationListeners = new Set<(frame: LiveNotification) => void>();
	readonly #state = createSignal<ConnectionState>("connecting");

	#socket: WebSocket | null = null;
	#stopped = false;
	#attempt = 0;
	#retryTimer: ReturnType<typeof setTimeout> | undefined;
	#heartbeatTimer: ReturnType<typeof setInterval> | undefined;
	#pongTimer: ReturnType<typeof setTimeout> | undefined;

	/** Events up to here were delivered and need no replay: the next resume starts here. */
	#committed: number | null = null;
	/** While catching up after a (re)connect: resumed from here; events delivered since then. */
	#resumedFrom = 0;
	#syncing = false;
	#everLive = false;
	readonly #seen = new Set<number>();
	#highest = 0;

	constructor(options: RealtimeOptions) {
		this.#options = options;
	}

	/** The connection's state, as a Solid signal. */
	get state(): Accessor<ConnectionState> {
		return this.#state[0];
	}

	/** The last sequence number this tab has caught up to (null before the first hello). */
	get lastSeq(): number | null {
		return this.#committed;
	}

	/** Calls `listener` for every new event and invalidation, once each; returns the unsubscribe. */
	onEvent(listener: (frame: LiveFrame) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** Calls `listener` for each new notification of the signed-in person; returns the unsubscribe. */
	onNotification(listener: (frame: LiveNotification) => void): () => void {
		this.#notificationListeners.add(listener);
		return () => this.#notificationListeners.delete(listener);
	}

	/**
	 * Calls `listener` when events may have been missed and cannot be replayed: refetch what is
	 * shown. Also once the first connection is live: what pages loaded before it may lack the
	 * events of the moments before the socket opened.
	 */
	onReset(listener: () => void): () => void {
		this.#resetListeners.add(listener);
		return () => this.#resetListeners.delete(listener);
	}

	start(): void {
		this.#stopped = false;
		window.addEventListener("online", this.#onOnline);
		void this.#connect();
	}

	/** Closes the connection for good (leaving the account, signing out). */
	stop(): void {
		this.#stopped = true;
		window.removeEventListener("online", this.#onOnline);
		clearTimeout(this.#retryTimer);
		this.#stopTimers();
		const ws = this.#socket;
		this.#socket = null;
		ws?.close(1000, "leaving");
		this.#setState("stopped");
	}

	/**
	 * Drops the connection as a network failure would (a test hook): the client reconnects with
	 * a fresh ticket and resumes from its last sequence number.
	 */
	drop(): void {
		const ws = this.#socket;
		if (!ws) return;
		this.#lost(ws);
		ws.close(4000, "dropped by the client");
	}

	readonly #onOnline = () => {
		// Back online: try now instead of waiting out the backoff.
		if (!this.#stopped && !this.#socket) {
			clearTimeout(this.#retryTimer);
			void this.#connect();
		}
	};

	#setState(state: ConnectionState): void {
		this.#state[1](state);
	}

	async #connect(): Promise<void> {
		if (this.#stopped || this.#socket) return;
		let ticket: SocketTicket;
		try {
			ticket = await this.#options.ticket();
		} catch (err) {
			if (this.#stopped) return;
			if (accessGone(err)) {
				this.#setState("stopped");
				return;
			}
			this.#scheduleRetry();
			return;
		}
		if (this.#stopped || this.#socket) return;
		let ws: WebSocket;
		try {
			ws = new WebSocket(ticket.url);
		} catch {
			this.#scheduleRetry();
			return;
		}
		this.#socket = ws;
		ws.onmessage = (e) => {
			if (this.#socket === ws && typeof e.data === "string") this.#receive(ws, e.data);
		};
		ws.onclose = () => {
			if (this.#socket === ws) this.#lost(ws);
		};
		ws.onerror = () => {
			// A close follows every error; that is where reconnecting starts.
		};
	}

	/** The socket is gone (closed, errored, timed out): try again after the backoff. */
	#lost(ws: WebSocket): void {
		if (this.#socket !== ws) return;
		this.#socket = null;
		ws.onmessage = null;
		ws.onclose = null;
		this.#stopTimers();
		if (this.#stopped || this.state() === "outdated") return;
		this.#scheduleRetry();
	}

	#scheduleRetry(): void {
		if (this.#stopped) return;
		this.#setState(this.#committed === null ? "connecting" : "reconnecting");
		const delay = backoffDelay(this.#attempt++);
		clearTimeout(this.#retryTimer);
		this.#retryTimer = setTimeout(() => void this.#connect(), delay);
	}

	#send(ws: WebSocket, text: string): void {
		try {
			ws.send(text);
		} catch {
			// Closing under us: onclose reconnects.
		}
	}

	#receive(ws: WebSocket, raw: string): void {
		let frame: ServerFrame;
		try {
			frame = JSON.parse(raw) as ServerFrame;
		} catch {
			return;
		}
		switch (frame.type) {
			case "hello": {
				if (frame.protocol !== PROTOCOL) {
					this.#setState("outdated");
					this.#lost(ws);
					ws.close(1000, "outdated client");
					return;
				}
				// The first time: only what happens from now on. Later: from where we were.
				this.#committed ??= frame.seq;
				this.#resumedFrom = this.#committed;
				this.#highest = Math.max(this.#committed, ...this.#seen);
				this.#syncing = true;
				this.#send(ws, JSON.stringify({ type: "resume", lastSeq: this.#committed } satisfies ClientFrame));
				this.#send(ws, SYNC_FRAME);
				return;
			}
			case "event":
			case "invalidate":
				this.#event(frame);
				return;
			case "reset":
				// Too far behind (or the account's log started over): start from here, refetch.
				this.#committed = frame.seq;
				this.#resumedFrom = frame.seq;
				this.#highest = frame.seq;
				this.#seen.clear();
				this.#notifyReset();
				return;
			case "pong":
				clearTimeout(this.#pongTimer);
				if (this.#syncing) {
					// Everything the resume replays came before this pong: caught up.
					this.#syncing = false;
					this.#committed = Math.max(this.#committed ?? 0, this.#highest);
					this.#seen.clear();
					this.#attempt = 0;
					this.#setState("live");
					this.#startHeartbeat(ws);
					if (!this.#everLive) {
						this.#everLive = true;
						this.#notifyReset();
					}
				}
				return;
			case "notification":
				for (const l of [...this.#notificationListeners]) {
					try {
						l(frame);
					} catch (err) {
						console.error(err);
					}
				}
				return;
			case "error":
				// The server closes after a fatal one (an expired ticket, 4001); onclose reconnects.
				return;
		}
	}

	#notifyReset(): void {
		for (const l of [...this.#resetListeners]) {
			try {
				l();
			} catch (err) {
				console.error(err);
			}
		}
	}

	#event(e: LiveFrame): void {
		if (this.#syncing) {
			// Replayed and live events may interleave while catching up: each is delivered once.
			if (e.seq <= this.#resumedFrom || this.#seen.has(e.seq)) return;
			this.#seen.add(e.seq);
			this.#highest = Math.max(this.#highest, e.seq);
		} else {
			if (this.#committed !== null && e.seq <= this.#committed) return;
			this.#committed = e.seq;
			this.#highest = e.seq;
		}
		for (const l of [...this.#listeners]) {
			try {
				l(e);
			} catch (err) {
				console.error(err);
			}
		}
	}

	#startHeartbeat(ws: WebSocket): void {
		this.#stopTimers();
		this.#heartbeatTimer = setInterval(() => {
			if (this.#socket !== ws) return;
			this.#send(ws, HEARTBEAT_FRAME);
			clearTimeout(this.#pongTimer);
			this.#pongTimer = setTimeout(() => {
				// No answer: the connection is dead even if the browser has not noticed yet.
				this.#lost(ws);
				ws.close(4000, "no pong");
			}, PONG_TIMEOUT_MS);
		}, HEARTBEAT_MS);
	}

	#stopTimers(): void {
		clearInterval(this.#heartbeatTimer);
		clearTimeout(this.#pongTimer);
	}
}

/** The test hook: `window.__trustdeskSocket?.drop()` in a browser test. */
export interface SocketTestHook {
	drop(): void;
	readonly state: ConnectionState;
	readonly lastSeq: number | null;
	readonly accountId: string;
}

declare global {
	interface Window {
		__trustdeskSocket?: SocketTestHook;
	}
}
