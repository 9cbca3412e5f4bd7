import { expect, test, type Page } from "@playwright/test";
import { expectNoHorizontalPageScroll, expectNoSeriousAxeViolations } from "./accessibility";
import { signIn } from "./sign-in";
import { trpcCall } from "./trpc-request";

// Every page of the app, as an admin and as an annotator, at a desktop width and at 390 × 844 (a phone): axe-core
// finds no serious or critical violation, and no page is wider than the viewport (wide tables scroll inside their
// own container). The seeded "News topics" project gets two model versions first, so the model pages have content.

const widths = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

// Known violations excluded from the sweep, each with its reason (none today).
const reported: Record<string, { selector: string; why: string }[]> = {};

async function checkEveryWidth(page: Page, state: string, ready: () => Promise<void>) {
  for (const size of widths) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await ready();
    await expectNoSeriousAxeViolations(page, `${state} at ${size.name} width`, { exclude: reported[state] });
    await expectNoHorizontalPageScroll(page, `${state} at ${size.name} width`);
  }
}

async function visit(page: Page, url: string, state: string, ready: () => Promise<void>) {
  await page.goto(url);
  await checkEveryWidth(page, state, ready);
}

/** Labels queue items through the same calls the Annotate page makes (class by position: content does not matter). */
async function labelSome(page: Page, projectId: number, classIds: number[], count: number) {
  for (let i = 0; i < count; i++) {
    const next = await trpcCall<{ item: { id: number } } | null>(page.request, "queue.next", { projectId }, "mutation");
    if (!next) return;
    await trpcCall(
      page.request,
      "labels.submit",
      { projectId, itemId: next.item.id, action: "label", classIds: [classIds[i % classIds.length]!], durationMs: 900 },
      "mutation",
    );
  }
}

async function ensureVersions(page: Page, projectId: number, classIds: number[], versions: number) {
  await page.goto(`/projects/${projectId}/models`);
  const rows = page.getByRole("table", { name: /Model versions/ }).getByRole("link", { name: /^v\d+$/ });
  for (let have = await rows.count(); have < versions; have++) {
    await labelSome(page, projectId, classIds, 30);
    const train = page.getByRole("button", { name: "Train now" });
    await expect(train).toBeEnabled({ timeout: 180_000 });
    await train.click();
    const want = have + 1;
    await expect(async () => expect(await rows.count()).toBeGreaterThanOrEqual(want)).toPass({
      timeout: 240_000,
      intervals: [1000],
    });
  }
  await expect(page.getByRole("status").filter({ hasText: /Training|Scoring/ })).toHaveCount(0, { timeout: 180_000 });
}

test("every page passes axe-core and fits a 390 px screen, for admins and annotators", async ({ page }) => {
  test.setTimeout(900_000);
  await page.goto("/sign-in");
  await checkEveryWidth(page, "sign-in", () => expect(page.getByRole("button", { name: "Sign in" })).toBeVisible());
  await signIn(page);
  await page.getByRole("link", { name: /News topics/ }).click();
  await expect(page).toHaveURL(/\/projects\/\d+$/);
  const projectId = Number(/\/projects\/(\d+)$/.exec(page.url())![1]);
  const base = `/projects/${projectId}`;
  const project = await trpcCall<{ classes: { id: number }[] }>(page.request, "projects.get", { projectId }, "query");
  await ensureVersions(
    page,
    projectId,
    project.classes.map((c) => c.id),
    2,
  );

  const tabs = page.getByRole("navigation", { name: "Project" });
  await visit(page, "/projects", "projects (admin)", () =>
    expect(page.getByRole("heading", { name: "Projects" })).toBeVisible(),
  );
  await visit(page, base, "overview (admin)", () => expect(tabs.getByRole("link", { name: "Settings" })).toBeVisible());
  await visit(page, `${base}/annotate`, "annotate (admin)", () => expect(page.getByTestId("item-text")).toBeVisible());
  await page.keyboard.press("?");
  await checkEveryWidth(page, "annotate shortcuts dialog", () =>
    expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible(),
  );
  await page.keyboard.press("Escape");
  await visit(page, `${base}/annotate?mode=review-generated`, "review-generated queue", () =>
    expect(page.getByRole("navigation", { name: "Queue" })).toBeVisible(),
  );
  await visit(page, `${base}/items`, "items (admin)", () =>
    expect(page.getByRole("table", { name: "Items" })).toBeVisible(),
  );
  // Hydrated (rows from the client's query) before choosing, or the choice is lost.
  await expect(page.getByRole("table", { name: "Items" }).getByRole("link").first()).toBeVisible();
  await page.getByLabel("Status").selectOption("labeled");
  await checkEveryWidth(page, "items filtered to labeled", () =>
    expect(page.getByRole("table", { name: "Items" })).toBeVisible(),
  );
  await page.getByRole("table", { name: "Items" }).locator("tbody tr").first().getByRole("link").first().click();
  await checkEveryWidth(page, "item detail", () =>
    expect(page.getByRole("table", { name: "Label history" })).toBeVisible(),
  );
  await visit(page, `${base}/import`, "import (admin)", () => expect(page.getByLabel("File to import")).toBeAttached());
  await visit(page, `${base}/generate`, "generate (admin)", () =>
    expect(tabs.getByRole("link", { name: "Generate" })).toBeVisible(),
  );
  await visit(page, `${base}/export`, "export (admin)", () =>
    expect(tabs.getByRole("link", { name: "Export" })).toBeVisible(),
  );
  await visit(page, `${base}/models`, "models (admin)", () =>
    expect(page.getByRole("table", { name: /Model versions/ })).toBeVisible(),
  );
  await page
    .getByRole("link", { name: /^Details of v\d+$/ })
    .first()
    .click();
  await checkEveryWidth(page, "model version", () =>
    expect(page.getByRole("table", { name: /Confusion matrix/ })).toBeVisible(),
  );
  await page.goto(`${base}/models`);
  await page.getByRole("link", { name: /^Compare v\d+ → v\d+$/ }).click();
  await checkEveryWidth(page, "compare", () =>
    expect(page.getByRole("heading", { name: "Verdict" })).toBeVisible({ timeout: 60_000 }),
  );
  await visit(page, `${base}/playground`, "playground (admin)", () =>
    expect(page.getByLabel("Texts, one per line")).toBeVisible(),
  );
  await page
    .getByLabel("Texts, one per line")
    .fill("The striker scored twice in the cup final\nShares fell after the bank cut its forecast");
  await page.getByRole("button", { name: "Classify" }).click();
  await checkEveryWidth(page, "playground results", () =>
    expect(page.getByRole("table", { name: /Predicted class/ })).toBeVisible({ timeout: 60_000 }),
  );
  await visit(page, `${base}/adjudicate`, "disagreements", () =>
    expect(page.getByRole("heading", { name: "Disagreements" })).toBeVisible(),
  );
  await visit(page, `${base}/settings`, "settings", () =>
    expect(page.getByRole("form", { name: "Project settings" })).toBeVisible(),
  );
  await visit(page, "/jobs", "jobs (admin)", () => expect(page.getByRole("heading", { name: "Jobs" })).toBeVisible());
  await visit(page, "/users", "users", () => expect(page.getByRole("table", { name: "Accounts" })).toBeVisible());
  await visit(page, "/account", "account", () => expect(page.getByRole("heading", { name: /Account/ })).toBeVisible());

  // Unknown projects and items answer 404 with a page that says so.
  const missingProject = await page.goto("/projects/99999");
  expect(missingProject?.status()).toBe(404);
  await checkEveryWidth(page, "unknown project", () =>
    expect(page.getByRole("heading", { name: "Project not found" })).toBeVisible(),
  );
  const missingItem = await page.goto(`${base}/items/99999999`);
  expect(missingItem?.status()).toBe(404);
  await checkEveryWidth(page, "unknown item", () =>
    expect(page.getByRole("heading", { name: "Not found in this project" })).toBeVisible(),
  );

  // An annotator: the same pages minus the admin-only ones, which no tab or hint leads to.
  const annotator = { email: `annotator-a11y-${Date.now()}@margin.local`, password: "annotator-password-1" };
  await trpcCall(page.request, "users.create", { ...annotator, name: "Ann Otator", role: "annotator" }, "mutation");
  // Annotators see only the projects they are members of: the admin adds this one on Settings → Members.
  await page.goto(`${base}/settings`);
  const addMembers = page.getByRole("form", { name: "Add members" });
  await addMembers.getByLabel(annotator.email).check();
  await addMembers.getByRole("button", { name: "Add selected" }).click();
  await checkEveryWidth(page, "settings with a member", () =>
    expect(page.getByRole("list", { name: "Members" }).getByText(annotator.email)).toBeVisible(),
  );
  await page.context().clearCookies();
  await page.goto("/sign-in");
  await signIn(page, annotator);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);
  await visit(page, base, "overview (annotator)", () =>
    expect(tabs.getByRole("link", { name: "Annotate" })).toBeVisible(),
  );
  for (const adminOnly of ["Import", "Generate", "Export", "Compare", "Disagreements", "Settings"])
    await expect(tabs.getByRole("link", { name: adminOnly })).toHaveCount(0);
  await expect(
    page.locator(
      `a[href*="/import"], a[href*="/settings"], a[href*="/export"], a[href*="/generate"], a[href*="/compare"], a[href*="/adjudicate"]`,
    ),
  ).toHaveCount(0);
  await visit(page, `${base}/annotate`, "annotate (annotator)", () =>
    expect(page.getByTestId("item-text")).toBeVisible(),
  );
  await visit(page, `${base}/items`, "items (annotator)", () =>
    expect(page.getByRole("table", { name: "Items" })).toBeVisible(),
  );
  await visit(page, `${base}/models`, "models (annotator)", () =>
    expect(page.getByRole("table", { name: /Model versions/ })).toBeVisible(),
  );
  await expect(page.locator(`a[href*="/compare"]`)).toHaveCount(0);
  await visit(page, `${base}/playground`, "playground (annotator)", () =>
    expect(page.getByLabel("Texts, one per line")).toBeVisible(),
  );
  await visit(page, "/jobs", "jobs (annotator)", () =>
    expect(page.getByRole("heading", { name: "Jobs" })).toBeVisible(),
  );
  // The other demo project is not theirs: it is neither listed nor reachable.
  await visit(page, "/projects", "projects (annotator)", () =>
    expect(page.getByRole("link", { name: /News topics/ })).toBeVisible(),
  );
  await expect(page.getByRole("link", { name: /Cats vs dogs/ })).toHaveCount(0);
});
