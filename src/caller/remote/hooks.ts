/**
 * What this layer gives each connection below it: the codec hooks that make proxies, iterators,
 * errors and callbacks out of markers, the callback server, and the proxy-class factory. The wire
 * receives these at construction (ConnectionHooks) rather than importing this layer.
 */
import type { Connection, ConnectionHooks } from "../wire/connection.js";
import { callerDecodeHooks, callerEncodeHooks } from "./codec.js";
import { CallbackServer } from "./callbacks.js";
import { createProxyClass, proxyInfo } from "./proxies.js";

export function remoteHooks(connection: Connection): ConnectionHooks {
  const server = new CallbackServer(connection);
  return {
    encode: callerEncodeHooks(connection),
    decode: callerDecodeHooks(connection),
    sentByReference: (value) => typeof value === "function" || proxyInfo(value) !== undefined,
    serveCallback: (request, blocked) => server.serve(request, blocked),
    createProxyClass,
  };
}
