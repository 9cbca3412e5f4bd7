import { createHash, timingSafeEqual } from "node:crypto";
import { BlockList, isIP } from "node:net";
import { env } from "@/env";

/**
 * The TCP peer of a request, as Margin's web server (src/web/main.ts) saw it. Next.js hands route handlers no socket
 * and only fills X-Forwarded-For when the client did not send one, so the server in front stamps the peer here,
 * with a token derived from BETTER_AUTH_SECRET: a client cannot forge it, and under a plain `next start` (no stamp)
 * the header is ignored.
 */
export const PEER_HEADER = "x-margin-peer";
/** The resolved client address: the only header better-auth's rate limiter reads (`advanced.ipAddress`). */
export const CLIENT_ADDRESS_HEADER = "x-margin-client-address";

function peerToken(): string | undefined {
  const secret = env().BETTER_AUTH_SECRET;
  return secret ? createHash("sha256").update(`margin-peer\0${secret}`).digest("hex").slice(0, 32) : undefined;
}

/** Overwrites whatever the client sent in the peer header with the socket's address (server side, Node headers). */
export function stampPeerAddress(
  headers: Record<string, string | string[] | undefined>,
  remoteAddress: string | undefined,
): void {
  const token = peerToken();
  delete headers[PEER_HEADER];
  if (token && remoteAddress) headers[PEER_HEADER] = `${token} ${remoteAddress}`;
}

/** The stamped socket address, or undefined when the request did not come through Margin's server. */
export function peerAddress(headers: Headers): string | undefined {
  const token = peerToken();
  const [sent, address] = headers.get(PEER_HEADER)?.split(" ") ?? [];
  if (!token || !sent || !address || sent.length !== token.length) return undefined;
  return timingSafeEqual(Buffer.from(sent), Buffer.from(token)) ? normalizeAddress(address) : undefined;
}

/**
 * The client's address: the socket peer, unless the peer is a trusted proxy (TRUSTED_PROXIES); then X-Forwarded-For
 * is walked from the right past trusted proxies to the first address that is not one (X-Real-IP when there is no
 * X-Forwarded-For). With no trusted proxies the headers are ignored: anyone can write them.
 */
export function clientAddress(
  headers: Headers,
  socketPeer: string | undefined,
  trusted: BlockList | undefined = trustedProxies(),
): string | undefined {
  if (!socketPeer) return undefined;
  const peer = normalizeAddress(socketPeer);
  if (!trusted || !isTrusted(trusted, peer)) return peer;
  const forwarded = headers.get("x-forwarded-for") ?? headers.get("x-real-ip");
  if (!forwarded) return peer;
  const hops = forwarded.split(",").map((hop) => normalizeAddress(hop.trim()));
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    // A malformed hop was written by whoever is left of the last trusted proxy: that proxy is the best we know.
    if (!isIP(hop)) return client;
    client = hop;
    if (!isTrusted(trusted, hop)) return hop;
  }
  return client;
}

/** A copy of the request whose client-address header is the one resolved here (a client-sent value is dropped). */
export function withClientAddress(request: Request): Request {
  const headers = new Headers(request.headers);
  headers.delete(CLIENT_ADDRESS_HEADER);
  headers.delete(PEER_HEADER);
  const address = clientAddress(request.headers, peerAddress(request.headers));
  if (address) headers.set(CLIENT_ADDRESS_HEADER, address);
  return new Request(request, { headers });
}

let cachedList: { source: string[]; list: BlockList | undefined } | undefined;

export function trustedProxies(): BlockList | undefined {
  const source = env().TRUSTED_PROXIES;
  if (cachedList?.source === source) return cachedList.list;
  cachedList = { source, list: source.length ? proxyBlockList(source) : undefined };
  return cachedList.list;
}

const NAMED_RANGES: Record<string, string[]> = {
  loopback: ["127.0.0.0/8", "::1/128"],
  private: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
};

export function proxyBlockList(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries.flatMap((e) => NAMED_RANGES[e] ?? [e])) {
    const [address, prefix] = entry.split("/");
    const family = isIP(address!) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address!, family);
    else list.addSubnet(address!, Number(prefix), family);
  }
  return list;
}

function isTrusted(list: BlockList, address: string): boolean {
  return list.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}

/** `::ffff:1.2.3.4` (an IPv4 client on a dual-stack socket) is 1.2.3.4; `[::1]:port` and `1.2.3.4:port` lose the port. */
function normalizeAddress(raw: string): string {
  let address = raw;
  const bracketed = address.match(/^\[([^\]]+)\](?::\d+)?$/);
  if (bracketed) address = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(":"));
  const mapped = address.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i);
  return (mapped ? mapped[1]! : address).toLowerCase();
}
