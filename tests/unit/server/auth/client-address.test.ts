import { describe, expect, it } from "vitest";
import { clientAddress, proxyBlockList } from "@/server/auth/client-address";

const headers = (init: Record<string, string>) => new Headers(init);

describe("clientAddress", () => {
  it("is the socket peer when no proxy is trusted, whatever the headers say", () => {
    expect(
      clientAddress(headers({ "x-forwarded-for": "1.2.3.4", "x-real-ip": "5.6.7.8" }), "198.51.100.7", undefined),
    ).toBe("198.51.100.7");
    expect(clientAddress(headers({}), "::ffff:198.51.100.7", undefined)).toBe("198.51.100.7");
    expect(clientAddress(headers({}), undefined, undefined)).toBeUndefined();
  });

  it("walks X-Forwarded-For from the right past trusted proxies", () => {
    const trusted = proxyBlockList(["10.0.0.0/8", "loopback"]);
    const xff = (value: string) => headers({ "x-forwarded-for": value });
    expect(clientAddress(xff("6.6.6.6, 203.0.113.9, 10.1.2.3"), "127.0.0.1", trusted)).toBe("203.0.113.9");
    expect(clientAddress(xff("203.0.113.9"), "10.0.0.1", trusted)).toBe("203.0.113.9");
    // A peer that is not a trusted proxy cannot name anyone.
    expect(clientAddress(xff("203.0.113.9"), "192.0.2.1", trusted)).toBe("192.0.2.1");
    // Garbage left of the last trusted hop: that hop is the best known address.
    expect(clientAddress(xff("not-an-ip, 10.9.9.9"), "127.0.0.1", trusted)).toBe("10.9.9.9");
    // Only trusted hops: the leftmost.
    expect(clientAddress(xff("10.0.0.5, 10.0.0.6"), "127.0.0.1", trusted)).toBe("10.0.0.5");
    expect(clientAddress(headers({ "x-real-ip": "2001:db8::1" }), "::1", trusted)).toBe("2001:db8::1");
    expect(clientAddress(headers({}), "10.0.0.1", trusted)).toBe("10.0.0.1");
  });
});
