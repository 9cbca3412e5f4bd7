import { expect, test } from "@playwright/test";
import { createProject } from "./create-project";
import { signIn } from "./sign-in";

const texts = [
  "The new phone has a great camera but the battery dies by noon.",
  "Delivery took three weeks and the box arrived crushed.",
  "Support answered within minutes and fixed my billing error.",
  "Lovely design, terrible price.",
];

test("an annotator labels a multi-label project with the keyboard: toggles, then Enter", async ({ page }) => {
  await signIn(page);
  const name = `Review aspects ${Date.now().toString(36)}`;
  await createProject(page, {
    name,
    task: "multilabel",
    classes: [
      ["product", "The product itself: quality, features, design, battery, camera."],
      ["shipping", "Delivery time, packaging, damage in transit."],
      ["price", "Price, value for money, billing and refunds."],
    ],
  });

  // Plain text, one review per line.
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Import" }).click();
  await page
    .getByLabel("File to import")
    .setInputFiles({ name: "reviews.txt", mimeType: "text/plain", buffer: Buffer.from(texts.join("\n")) });
  await expect(page.getByLabel("Detected format")).toContainText("text");
  await page.getByRole("button", { name: /^Import 4 rows/ }).click();
  await expect(page.getByText("Import report")).toBeVisible({ timeout: 60_000 });

  // Keys toggle classes (the buttons show it), Enter submits the set; Enter with nothing selected says "none of these".
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Annotate" }).click();
  const choices = page.getByRole("group", { name: "Classes (toggle, then submit)" });
  const first = await page.getByTestId("item-text").innerText();
  await page.keyboard.press("1");
  await page.keyboard.press("3");
  await page.keyboard.press("2");
  await page.keyboard.press("2");
  await expect(choices.getByRole("button", { pressed: true })).toHaveCount(2);
  await expect(page.getByRole("button", { name: /^Submit product \+ price/ })).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("item-text")).not.toHaveText(first);
  // The next item starts with nothing selected (no model yet), not with the previous item's selection.
  await expect(choices.getByRole("button", { pressed: true })).toHaveCount(0);
  const second = await page.getByTestId("item-text").innerText();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("item-text")).not.toHaveText(second);
  await expect(page.getByText("All labels saved")).toBeVisible();

  // The items table shows both labels on the first text and none on the second.
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Items" }).click();
  const table = page.getByRole("table", { name: "Items" });
  const firstRow = table.getByRole("row", {
    name: new RegExp(first.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")),
  });
  await expect(firstRow).toContainText("product");
  await expect(firstRow).toContainText("price");
  await expect(firstRow).not.toContainText("shipping");
  const secondRow = table.getByRole("row", {
    name: new RegExp(second.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")),
  });
  await expect(secondRow).toContainText("no class");
  await expect(secondRow).not.toContainText("unlabeled");
});
