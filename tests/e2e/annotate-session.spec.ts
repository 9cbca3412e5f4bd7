import { expect, test, type Page } from "@playwright/test";
import { expectNoHorizontalPageScroll, expectNoSeriousAxeViolations } from "./accessibility";
import { signIn } from "./sign-in";
import { trpcCall } from "./trpc-request";

async function itemText(page: Page) {
  const text = page.getByTestId("item-text");
  await expect(text).toBeVisible();
  return text.innerText();
}

test("an annotator sees this session's labels against the goal and an exact count left, then reopens a decision from the history and changes it", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page);
  await page.getByRole("link", { name: /News topics/ }).click();
  const tabs = page.getByRole("navigation", { name: "Project" });

  // An admin sets a session goal of 4 labels.
  await tabs.getByRole("link", { name: "Settings" }).click();
  const form = page.getByRole("form", { name: "Project settings" });
  await form.getByLabel("Session goal (labels)").fill("4");
  await form.getByRole("button", { name: "Save settings" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved");
  const projectUrl = page.url().replace(/\/settings$/, "");

  // A new annotator: their history starts empty.
  const annotator = { email: `annotator-session-${Date.now()}@margin.local`, password: "annotator-password-2" };
  const account = await trpcCall<{ id: string }>(
    page.request,
    "users.create",
    { ...annotator, name: "Sam Session", role: "annotator" },
    "mutation",
  );
  const projectId = Number(/\/projects\/(\d+)/.exec(projectUrl)![1]);
  await trpcCall(page.request, "projects.updateMembers", { projectId, add: [account.id] }, "mutation");
  await page.context().clearCookies();
  await page.goto("/sign-in");
  await signIn(page, annotator);
  await page.goto(`${projectUrl}/annotate`);
  const progress = page.getByRole("region", { name: "Your progress" });
  const session = page.getByTestId("session-count");
  await expect(session).toHaveText("0 of 4");
  const left = progress.locator("dt:has-text('Left in the queue') + dd");
  await expect(left).toContainText("(unlabeled, exact)");
  const leftAtStart = Number((await left.innerText()).split(" ")[0]!.replace(/,/g, ""));

  // Three labels: class 1, 2, 3. The count left drops by exactly three (counted, not cached).
  const texts: string[] = [];
  for (const key of ["1", "2", "3"]) {
    const text = await itemText(page);
    texts.push(text);
    await page.keyboard.press(key);
    await expect(page.getByTestId("item-text")).not.toHaveText(text);
  }
  await expect(page.getByText("All labels saved")).toBeVisible();
  await expect(session).toHaveText("3 of 4");
  await expect(progress.getByText("1 to go")).toBeVisible();
  await expect(left).toHaveText(`${(leftAtStart - 3).toLocaleString("en-US")} (unlabeled, exact)`);

  // The history lists them newest first; the first label (class 1) is reopened and changed to class 4.
  const history = page.getByRole("list", { name: "Your last decisions" });
  await expect(history.getByRole("listitem")).toHaveCount(3);
  await expectNoSeriousAxeViolations(page, "annotate with progress and history");
  const first = history.getByRole("button", { name: new RegExp(`^Reopen ${escapeRegExp(texts[0]!.slice(0, 30))}`) });
  await expect(first).toContainText("World");
  const waiting = await itemText(page);
  await first.click();
  await expect(page.getByTestId("item-text")).toHaveText(texts[0]!);
  await expect(page.getByText("reopened", { exact: true })).toBeVisible();
  await page.keyboard.press("4");
  // The item that was in front before the reopen comes back next.
  await expect(page.getByTestId("item-text")).toHaveText(waiting);
  await expect(page.getByText("All labels saved")).toBeVisible();
  // The new decision is on top; the old one is kept, marked as changed. The change is a decision of this session.
  await expect(history.getByRole("listitem").first()).toContainText("Sci/Tech");
  await expect(history.getByRole("listitem").last()).toContainText("changed since");
  await expect(session).toHaveText("4 of 4");
  await expect(progress.getByText("Goal reached")).toBeVisible();
  await expect(left).toHaveText(`${(leftAtStart - 3).toLocaleString("en-US")} (unlabeled, exact)`);

  // The item's page keeps both decisions (audit kept).
  // "#<id> · <decision>" follows the item text, which may itself hold "#39" (AG News keeps HTML entities).
  const itemId = /#(\d+) · /.exec(await history.getByRole("listitem").first().innerText())![1];
  await page.goto(`${page.url().replace(/\/annotate.*$/, "")}/items/${itemId}`);
  const labelHistory = page.getByRole("table", { name: "Label history" });
  await expect(labelHistory.locator("tbody tr")).toHaveCount(2);
  await expect(labelHistory).toContainText("World");
  await expect(labelHistory).toContainText("Sci/Tech");
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoHorizontalPageScroll(page, "item page at phone width");
});

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
