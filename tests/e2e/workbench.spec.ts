import { expect, type Page, test } from "@playwright/test";
import { E2E_ADMIN } from "../../playwright.config";
import { signIn } from "./sign-in";

async function labeledToday(page: Page) {
  const value = page.getByLabel("Your progress").locator("dt:has-text('Labeled today') + dd");
  await expect(value).not.toHaveText("–");
  return Number((await value.innerText()).replace(/,/g, ""));
}

async function itemText(page: Page) {
  const text = page.getByTestId("item-text");
  await expect(text).toBeVisible();
  return text.innerText();
}

test("an annotator labels with the keyboard, undoes, skips, and the queue retrains and ranks by the new model", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signIn(page);
  await page.getByRole("link", { name: /News topics/ }).click();
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Annotate" }).click();
  await expect(page.getByRole("heading", { name: "Guidelines" })).toBeVisible();
  const start = await labeledToday(page);

  // 25 labels by number keys; each press moves to a different item at once (the next one is prefetched). An item
  // comes back only as a declared second look: after the retrain at 20 labels, the new model may strongly disagree
  // with a label given minutes ago, and the queue mixes such items in on purpose.
  const seen: string[] = [];
  for (let i = 0; i < 25; i++) {
    const text = await itemText(page);
    if (seen.includes(text)) await expect(page.getByText("second look")).toBeVisible();
    seen.push(text);
    await page.keyboard.press(String((i % 4) + 1));
    await expect(page.getByTestId("item-text")).not.toHaveText(text);
  }
  await expect(page.getByText("All labels saved")).toBeVisible();
  await expect.poll(() => labeledToday(page)).toBe(start + 25);

  // Z brings back the last item, unlabeled again.
  await page.keyboard.press("z");
  await expect(page.getByTestId("item-text")).toHaveText(seen.at(-1)!);
  await expect(page.getByText("back after undo")).toBeVisible();
  await expect.poll(() => labeledToday(page)).toBe(start + 24);
  await page.keyboard.press("2");
  await expect(page.getByTestId("item-text")).not.toHaveText(seen.at(-1)!);

  // Space skips; a skip is not a label.
  const skipped = await itemText(page);
  await page.keyboard.press(" ");
  await expect(page.getByTestId("item-text")).not.toHaveText(skipped);
  await expect.poll(() => labeledToday(page)).toBe(start + 25);

  // ? lists the shortcuts.
  await page.keyboard.press("?");
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText("accept the model's prediction")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // 20 labels queued a retrain; once the new version has scored the pool, items arrive with its prediction and
  // Enter accepts it.
  const accept = page.getByRole("button", { name: /^Accept/ });
  for (let i = 0; i < 40 && !(await accept.isEnabled()); i++) {
    await page.waitForTimeout(3_000);
    const text = await itemText(page);
    await page.keyboard.press(String((i % 4) + 1));
    await expect(page.getByTestId("item-text")).not.toHaveText(text);
  }
  await expect(accept).toBeEnabled();
  await expect(page.getByRole("group", { name: "Choose a class" }).getByText("model", { exact: true })).toBeVisible();
  await expect(page.getByText(/uncertain|random|second look/).first()).toBeVisible();
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.screenshot({ path: "docs/screenshots/annotate.png" });
  const before = await labeledToday(page);
  const accepted = await itemText(page);
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("item-text")).not.toHaveText(accepted);
  await expect.poll(() => labeledToday(page)).toBe(before + 1);
  await expect(page.getByText("All labels saved")).toBeVisible();

  // The undone item's history keeps both decisions: the undone label and the one that replaced it.
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Items" }).click();
  await page.getByLabel("Search text").fill(seen.at(-1)!.slice(0, 40));
  const items = page.getByRole("table", { name: "Items" });
  await expect(items.getByRole("row")).toHaveCount(2);
  await items.getByRole("link").first().click();
  const history = page.getByRole("table", { name: "Label history" });
  await expect(history.getByRole("row")).toHaveCount(3);
  await expect(history.getByRole("row").filter({ hasText: "undone" })).toHaveCount(1);
  await expect(history.getByRole("row").filter({ hasText: "current" })).toHaveCount(1);
});

test("an admin sees each annotator's labels, pace and agreement on the project overview", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: /News topics/ }).click();
  const table = page.getByRole("table", { name: "Annotator statistics" });
  await expect(table).toContainText(E2E_ADMIN.email);
  const labels = Number((await table.locator("tbody tr").first().locator("td").nth(1).innerText()).replace(/,/g, ""));
  expect(labels).toBeGreaterThanOrEqual(25);

  // The same account's activity across projects, on the Users page.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  const row = page.getByRole("table", { name: "Accounts" }).getByRole("row", { name: new RegExp(E2E_ADMIN.email) });
  const total = Number((await row.locator("td").nth(3).innerText()).replace(/,/g, ""));
  expect(total).toBeGreaterThanOrEqual(labels);
});
