import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { Markdown } from "@/components/ui/markdown";

const render = (source: string) => renderToStaticMarkup(createElement(Markdown, { source }));

describe("Markdown (project instructions)", () => {
  it("renders headings, emphasis, lists and links", () => {
    const html = render("# Rules\n\nDESC asks for a **definition**.\n\n- one\n- two\n\n[docs](https://example.org/x)");
    expect(html).toContain("<h1>Rules</h1>");
    expect(html).toContain("<strong>definition</strong>");
    expect(html).toContain("<li>one</li>");
    expect(html).toContain('<a href="https://example.org/x">docs</a>');
  });

  it("never injects raw HTML or script links", () => {
    const html = render(
      '<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[click](javascript:alert(3)) [d](data:text/html;base64,PHNjcmlwdD4=)',
    );
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).not.toMatch(/href="(javascript|data):/);
    expect(html).toContain("&lt;script&gt;");
  });
});
