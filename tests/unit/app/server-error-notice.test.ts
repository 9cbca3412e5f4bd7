import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DATABASE_UNAVAILABLE_DIGEST, ServerErrorNotice } from "@/app/_components/server-error-notice";
import { DATABASE_UNAVAILABLE_DIGEST as SERVER_DIGEST } from "@/server/auth/get-session-user";

const render = (digest?: string) => renderToStaticMarkup(createElement(ServerErrorNotice, { digest, retry: () => {} }));

describe("the error page's notice", () => {
  it("uses the digest the session lookup stamps on a database outage", () => {
    expect(DATABASE_UNAVAILABLE_DIGEST).toBe(SERVER_DIGEST);
  });

  it("says the database is unreachable and that it retries by itself", () => {
    const html = render(DATABASE_UNAVAILABLE_DIGEST);
    expect(html).toContain("Margin cannot reach its database");
    expect(html).toContain("Trying again in 5 s");
    expect(html).not.toContain("Reference for the server log");
  });

  it("shows any other failure as a server error with its log reference", () => {
    const html = render("1234567");
    expect(html).toContain("This page could not be loaded");
    expect(html).toContain("<code>1234567</code>");
    expect(html).not.toContain("Trying again in");
  });
});
