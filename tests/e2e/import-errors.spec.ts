import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { expectNoSeriousAxeViolations } from "./accessibility";
import { createProject } from "./create-project";
import { signIn } from "./sign-in";

test("a binary file in the import wizard ends with a message that says so, not an endless spinner", async ({
  page,
}) => {
  await page.goto("/sign-in");
  await signIn(page);
  await createProject(page, { name: `Binary upload ${Date.now().toString(36)}`, classes: [] });
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Import" }).click();
  // A PNG signature followed by random bytes: what an image picked by mistake looks like. Its signature names it.
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(4096)]);
  await page.getByLabel("File to import").setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: png });
  await expect(
    page.getByText(/The file is a PNG image, not text: .*Save or export it as CSV or JSON lines/),
  ).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText("Uploading…")).toBeHidden();
  // Binary bytes with no known signature are read, and the preview says that they are not text.
  const unknown = Buffer.concat([Buffer.from([0x01, 0x02, 0x03]), randomBytes(4096)]);
  await page
    .getByLabel("File to import")
    .setInputFiles({ name: "data.bin", mimeType: "application/octet-stream", buffer: unknown });
  await expect(
    page.getByText(/This is not a text file Margin can read: \d+ of its \d+ lines are not valid UTF-8/),
  ).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText("Reading the file…")).toBeHidden();
  await expectNoSeriousAxeViolations(page, "import wizard with a binary file");
});
