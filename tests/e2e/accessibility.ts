import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/**
 * Runs axe-core on the page as it is now and fails on any serious or critical violation, naming the rule, the
 * state and the first offending nodes (so a failure says what to fix, not just that something is wrong).
 */
export async function expectNoSeriousAxeViolations(
  page: Page,
  state: string,
  options: { exclude?: { selector: string; why: string }[] } = {},
) {
  // A region marked busy is between two states (a table dimmed while the next page of rows loads: its contrast is
  // meant to be low): check the state it settles in.
  await expect(page.locator('[aria-busy="true"]'), `a busy region on ${state} settles`).toHaveCount(0, {
    timeout: 60_000,
  });
  let builder = new AxeBuilder({ page });
  // Only for a named element with a stated reason (an issue reported to the page's owner), never a whole rule.
  for (const { selector } of options.exclude ?? []) builder = builder.exclude(selector);
  const results = await builder.analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}, ${v.nodes.length} nodes): ${v.help} — ${v.nodes
          .slice(0, 4)
          .map((n) => n.target.join(" "))
          .join(" | ")}`,
    );
  expect.soft(serious, `axe-core on ${state} (${page.url()})`).toEqual([]);
}

/** No page may be wider than the viewport: wide content (tables, charts) scrolls inside its own container. */
export async function expectNoHorizontalPageScroll(page: Page, state: string) {
  const widths = await page.evaluate(() => {
    const viewport = window.innerWidth;
    // The widest elements sticking out of the viewport, to say what to fix when the page is too wide.
    const culprits = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > viewport + 1)
      .slice(0, 5)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${[...el.classList].slice(0, 3).join(".")} (right ${Math.round(el.getBoundingClientRect().right)})`,
      );
    return { document: document.documentElement.scrollWidth, viewport, culprits };
  });
  expect
    .soft(
      widths.document,
      `page width at ${widths.viewport} px on ${state} (${page.url()}); sticking out: ${widths.culprits.join(", ")}`,
    )
    .toBeLessThanOrEqual(widths.viewport);
}
