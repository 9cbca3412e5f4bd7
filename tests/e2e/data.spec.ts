import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { createProject } from "./create-project";
import { signIn } from "./sign-in";

// A small labeled CSV with one bad row (an empty text on line 5): the wizard must show it before anything is written.
// Its label column has a name the wizard does not guess ("topic"): the admin maps it.
const csv = [
  "id,text,topic",
  "n1,The striker scored twice in the cup final,sports",
  "n2,New GPU doubles the speed of model training,tech",
  "n3,Parliament passes the budget after a long night,politics",
  'n4,"",sports',
  "n5,Goalkeeper saves a penalty in the last minute,sports",
  "n6,Chipmaker unveils a faster laptop processor,tech",
  "n7,Senators debate the new climate bill,politics",
  "n8,Marathon runner breaks the course record,sports",
].join("\n");

test("an admin imports a CSV through the wizard, browses and filters the items, opens one and exports", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/sign-in");
  await signIn(page);

  const name = `Headlines ${Date.now().toString(36)}`;
  await createProject(page, { name, description: "News headlines by topic.", classes: [] });

  // Import: upload, detected format, preview with the row error, options, job, report.
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Import" }).click();
  await page
    .getByLabel("File to import")
    .setInputFiles({ name: "headlines.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(page.getByLabel("Detected format")).toContainText("csv");
  await expect(page.getByRole("table", { name: "First rows" })).toContainText("The striker scored twice");
  const errors = page.getByRole("table", { name: "Row errors" });
  await expect(errors).toContainText("empty text");
  await expect(page.getByRole("table", { name: "First rows" })).not.toContainText("politics");
  await page.getByLabel("Label", { exact: true }).selectOption("topic");
  await expect(page.getByRole("table", { name: "First rows" })).toContainText("politics");
  await page.getByLabel("Create unknown classes").check();
  await expect(page.getByText(/Classes to create: .*politics/)).toBeVisible();
  // With the classes created, the empty text on line 5 is the one error left.
  await expect(errors.getByRole("row")).toHaveCount(2);
  await expect(errors.getByRole("row").nth(1)).toContainText("5");
  await page.screenshot({ path: "docs/screenshots/import.png", fullPage: true });
  await page.getByRole("button", { name: "Import 7 rows" }).click();
  await expect(page.getByText("Import report")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByLabel("Import summary")).toContainText("7");

  // Items table: all rows, then search and a label filter, reflected in the URL.
  await page.getByRole("link", { name: "View items" }).click();
  const table = page.getByRole("table", { name: "Items" });
  await expect(table.getByRole("row")).toHaveCount(8);
  await expect(page.getByText("7 items")).toBeVisible();
  await page.getByLabel("Search text").fill("STRIKER");
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(page).toHaveURL(/q=STRIKER/);
  await page.getByLabel("Search text").fill("");
  await expect(table.getByRole("row")).toHaveCount(8);
  await page.getByLabel("Label", { exact: true }).selectOption({ label: "sports" });
  await expect(table.getByRole("row")).toHaveCount(4);
  await expect(page).toHaveURL(/label=\d+/);
  await page.reload();
  await expect(table.getByRole("row")).toHaveCount(4);
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(table.getByRole("row")).toHaveCount(8);
  await page.getByLabel("Select item", { exact: false }).first().check();
  await expect(page.getByRole("region", { name: "Bulk label" })).toContainText("1 selected");
  await page.screenshot({ path: "docs/screenshots/items.png", fullPage: true });

  // Item detail with its history.
  await table.getByRole("link", { name: /Marathon runner/ }).click();
  await expect(page.getByText("Marathon runner breaks the course record")).toBeVisible();
  const history = page.getByRole("table", { name: "Label history" });
  await expect(history).toContainText("Imported");
  await expect(history).toContainText("current");
  // No model has scored the project yet, but the import queued the embedding of its texts: similar items are there.
  await expect(async () => {
    await page.getByRole("button", { name: /^(Find similar|Search again)$/ }).click();
    await expect(page.getByRole("list", { name: "Similar items" }).getByRole("listitem")).toHaveCount(6, {
      timeout: 3_000,
    });
  }).toPass({ timeout: 90_000 });

  // Export: CSV of the labeled items.
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Export" }).click();
  await page.getByRole("radio", { name: /^CSV / }).check();
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const file = await readFile((await download.path())!, "utf8");
  expect(file.split("\n")[0]).toBe("id,text,label,split");
  expect(file).toContain("n1,The striker scored twice in the cup final,sports");
  expect(file.trim().split("\n")).toHaveLength(8);

  // And Hugging Face JSONL, the format most training code reads.
  await page.getByRole("radio", { name: /^Hugging Face JSONL/ }).check();
  const downloadingJsonl = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download" }).click();
  const jsonl = await readFile((await (await downloadingJsonl).path())!, "utf8");
  const rows = jsonl
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { text: string; label: string });
  expect(rows).toHaveLength(7);
  expect(rows).toContainEqual({ text: "The striker scored twice in the cup final", label: "sports" });
});
