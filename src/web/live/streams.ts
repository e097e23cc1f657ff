import { AppError } from "../../domain/errors.ts";
import type { LiveHub, LiveTopic } from "./hub.ts";
import { sseComment, sseEvent, sseRetry } from "./sse.ts";

// The open live streams of a process: each a text/event-stream response fed by the hub, within
// caps (a process and a client address may hold only so many), kept alive by one shared
// heartbeat, released when the client goes away, and ended all at once when the server stops.

export interface LiveStreamLimits {
  /** Streams open at once in this process. */
  readonly maxStreams: number;
  /** Streams open at once from one client address. */
  readonly maxStreamsPerClient: number;
}

export interface LiveStreamOptions extends LiveStreamLimits {
  /** A comment line every this often, so idle connections and proxies stay open. */
  readonly heartbeatMs?: number;
  /** The reconnect delay browsers are told to use. */
  readonly retryMs?: number;
}

export interface LiveStreams {
  /** A streaming response for `topic`; throws rate_limited (429) over a cap. */
  open(topic: LiveTopic, client: string, signal: AbortSignal): Response;
  /** Streams open now. */
  readonly count: number;
  /** Ends every stream (server shutdown); new ones are refused from then on. */
  closeAll(): void;
}

export const HEARTBEAT_MS = 25_000;
export const RETRY_MS = 5_000;
/** Bytes a slow reader may leave unread before its stream is dropped (it reconnects later). */
const MAX_UNREAD_BYTES = 256 * 1024;

interface OpenStream {
  send(chunk: Uint8Array): void;
  end(): void;
}

export function createLiveStreams(hub: LiveHub, options: LiveStreamOptions): LiveStreams {
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const retryMs = options.retryMs ?? RETRY_MS;
  const streams = new Set<OpenStream>();
  const byClient = new Map<string, number>();
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let stopped = false;

  const refuse = (message: string, reason: string): AppError =>
    new AppError("rate_limited", message, {
      hint: "Close another live tab, or reload later.",
      details: { reason },
      headers: { "Retry-After": String(Math.ceil(retryMs / 1000)) },
    });

  const track = (stream: OpenStream, client: string): (() => void) => {
    streams.add(stream);
    byClient.set(client, (byClient.get(client) ?? 0) + 1);
    heartbeat ??= setInterval(() => {
      const ping = sseComment("heartbeat");
      for (const open of streams) open.send(ping);
    }, heartbeatMs);
    // A heartbeat alone must not keep a stopping process alive.
    heartbeat.unref?.();
    return () => {
      streams.delete(stream);
      const left = (byClient.get(client) ?? 1) - 1;
      if (left === 0) byClient.delete(client);
      else byClient.set(client, left);
      if (streams.size === 0 && heartbeat !== undefined) {
        clearInterval(heartbeat);
        heartbeat = undefined;
      }
    };
  };

  return {
    open(topic, client, signal) {
      if (stopped) throw refuse("The server is stopping", "shutting_down");
      if (streams.size >= options.maxStreams) {
        throw refuse("Too many live streams on this server", "too_many_streams");
      }
      if ((byClient.get(client) ?? 0) >= options.maxStreamsPerClient) {
        throw refuse("Too many live streams from this address", "too_many_client_streams");
      }
      let release = (): void => {};
      const body = new ReadableStream<Uint8Array>(
        {
          start(controller) {
            let ended = false;
            const stream: OpenStream = {
              send(chunk) {
                if (ended) return;
                if ((controller.desiredSize ?? 0) < -MAX_UNREAD_BYTES) return stream.end();
                controller.enqueue(chunk);
              },
              end() {
                if (ended) return;
                ended = true;
                release();
                try {
                  controller.close();
                } catch {}
              },
            };
            const untrack = track(stream, client);
            const unsubscribe = hub.subscribe(topic, (event) =>
              stream.send(sseEvent(event.type, event.data)),
            );
            const onAbort = () => stream.end();
            signal.addEventListener("abort", onAbort, { once: true });
            release = () => {
              release = () => {};
              untrack();
              unsubscribe();
              signal.removeEventListener("abort", onAbort);
            };
            controller.enqueue(sseRetry(retryMs));
            // Said at once, so that the browser knows the stream is open (and proxies flush).
            controller.enqueue(sseComment("live: new items from now on"));
            if (signal.aborted) stream.end();
          },
          cancel() {
            release();
          },
        },
        { highWaterMark: MAX_UNREAD_BYTES, size: (chunk) => chunk.byteLength },
      );
      return new Response(body, {
        headers: {
          "Content-Type": "text/event-stream; charset=utf-8",
          "Cache-Control": "no-cache",
          // nginx buffers responses by default, which would hold events back.
          "X-Accel-Buffering": "no",
        },
      });
    },
    get count() {
      return streams.size;
    },
    closeAll() {
      stopped = true;
      for (const stream of [...streams]) stream.end();
    },
  };
}
