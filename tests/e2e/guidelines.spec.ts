import { expect, test } from "@playwright/test";
import { expectNoHorizontalPageScroll, expectNoSeriousAxeViolations } from "./accessibility";
import { createProject } from "./create-project";
import { signIn } from "./sign-in";

// TREC-style question types, where DESC vs ENTY needs examples: an admin writes instructions (Markdown), adds an
// item as an example of ENTY, and the annotator meets them at the start of the session, in the side panel and on ?.
// Its own project, so the session-start dialog does not appear in other specs' projects.
const csv = [
  "text",
  "What is a golf ball made of?",
  "What does the word boycott mean?",
  "What color is a giraffe's tongue?",
  "What is the definition of a rhombus?",
  "What instrument did Louis Armstrong play?",
  "What is the meaning of life?",
].join("\n");

test("guidelines: written once, versioned, shown when a session starts, in the side panel and on ?; labels record their revision", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto("/sign-in");
  await signIn(page);
  const name = `Question types ${Date.now().toString(36)}`;
  await createProject(page, {
    name,
    classes: [
      ["DESC", "asks for a description or a definition"],
      ["ENTY", "asks for an entity: a thing, substance, color, instrument…"],
    ],
  });
  const tabs = page.getByRole("navigation", { name: "Project" });
  await tabs.getByRole("link", { name: "Import" }).click();
  await page
    .getByLabel("File to import")
    .setInputFiles({ name: "questions.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Import 6 rows" }).click();
  await expect(page.getByText("Import report")).toBeVisible({ timeout: 60_000 });

  // The Overview counts the import by itself (nobody presses Refresh) and says what to do next.
  await tabs.getByRole("link", { name: "Overview" }).click();
  await expect(page.getByTestId("labeled-of-total")).toContainText("0 of 6", { timeout: 30_000 });
  await expect(page.getByRole("list", { name: "Labeled items per class" })).toContainText("DESC");
  await expect(page.getByTestId("next-step")).toHaveText("Label");

  // Instructions in Markdown; raw HTML stays text.
  await page.getByRole("button", { name: "Edit instructions" }).click();
  await page
    .getByLabel("Instructions (Markdown)")
    .fill(
      "## How to label\n\n- **DESC**: the answer *explains* something.\n- **ENTY**: the answer *names* a thing.\n\n<b>not bold</b>",
    );
  await expect(page.getByLabel("Preview").getByRole("heading", { name: "How to label" })).toBeVisible();
  await page.getByRole("button", { name: "Save instructions" }).click();
  await expect(page.getByText("Saved as revision 1.")).toBeVisible();
  const card = page
    .getByRole("region", { name: /Guidelines · revision 1/ })
    .or(page.locator("section", { hasText: "Guidelines · revision 1" }));
  await expect(card.first()).toContainText("<b>not bold</b>");
  await expectNoSeriousAxeViolations(page, "overview with guidelines");

  // An item becomes an example of ENTY from its page.
  await tabs.getByRole("link", { name: "Items" }).click();
  await page
    .getByRole("table", { name: "Items" })
    .getByRole("link", { name: /golf ball/ })
    .click();
  const add = page.getByRole("form", { name: "Add to the guidelines" });
  await add.getByLabel("Class").selectOption({ label: "ENTY" });
  await add.getByLabel("Note (optional)").fill("a substance is an entity");
  await add.getByRole("button", { name: "Add to guidelines" }).click();
  await expect(add.getByRole("status")).toHaveText("Added: the guidelines are now at revision 2.");
  await expectNoSeriousAxeViolations(page, "item page with the guidelines form");

  // The session starts with the guidelines; keys do nothing until they are closed.
  await tabs.getByRole("link", { name: "Annotate" }).click();
  const dialog = page.getByRole("dialog", { name: "Guidelines" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("heading", { name: "How to label" })).toBeVisible();
  await expect(dialog.getByRole("list", { name: "Examples of ENTY" })).toContainText("What is a golf ball made of?");
  await expect(dialog).toContainText("Revision 2");
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.screenshot({ path: "docs/screenshots/annotate-session-start.png" });
  await expectNoSeriousAxeViolations(page, "guidelines at session start");
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoHorizontalPageScroll(page, "guidelines at session start, phone");
  await page.setViewportSize({ width: 1280, height: 860 });
  const first = await page.getByTestId("item-text").innerText();
  await page.keyboard.press("1");
  await expect(page.getByTestId("item-text")).toHaveText(first);
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();

  // The side panel keeps them; ? shows them in full with the keys.
  const side = page.getByRole("complementary", { name: "Guidelines and history" });
  await expect(side.getByText("revision 2")).toBeVisible();
  await expect(side.getByRole("list", { name: "Examples of ENTY" })).toContainText("golf ball");
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help.getByRole("heading", { name: "Guidelines · revision 2" })).toBeVisible();
  await expect(help.getByRole("heading", { name: "How to label" })).toBeVisible();
  await page.keyboard.press("Escape");

  // A label records the revision it was made under; a reload in the same sitting does not ask again.
  const labeled = await page.getByTestId("item-text").innerText();
  await page.keyboard.press("1");
  await expect(page.getByTestId("item-text")).not.toHaveText(labeled);
  await expect(page.getByText("All labels saved")).toBeVisible();
  await expect(page.getByRole("list", { name: "Your last decisions" }).getByRole("listitem")).toHaveCount(1);
  await page.screenshot({ path: "docs/screenshots/annotate-guidelines.png", fullPage: true });
  await page.reload();
  await expect(page.getByTestId("item-text")).toBeVisible();
  await expect(dialog).toBeHidden();
  await page
    .getByRole("list", { name: "Your last decisions" })
    .getByRole("listitem")
    .first()
    .getByRole("button")
    .click();
  await expect(page.getByTestId("item-text")).toHaveText(labeled);
  const itemId = /item #(\d+)/.exec(await page.getByRole("article", { name: "Item to label" }).innerText())![1];
  await page.goto(page.url().replace(/\/annotate.*$/, `/items/${itemId}`));
  await expect(page.getByRole("table", { name: "Label history" })).toContainText("guidelines revision 2");
});
