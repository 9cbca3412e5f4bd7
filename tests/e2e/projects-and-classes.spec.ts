import { expect, test } from "@playwright/test";
import { createProject } from "./create-project";
import { signIn } from "./sign-in";

test("an admin signs in, creates a project with two classes, reloads and sees them", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
  await signIn(page);
  await expect(page.getByRole("link", { name: /News topics/ })).toBeVisible();

  const name = `Support tickets ${Date.now().toString(36)}`;
  await createProject(page, {
    name,
    description: "Route incoming support tickets to the right team.",
    classes: [
      ["billing", "Invoices, refunds, failed payments and pricing questions."],
      ["bug", "Something in the product is broken: errors, crashes, wrong results."],
    ],
  });

  await page.reload();
  const classes = page.getByRole("list", { name: "Classes" });
  await expect(classes.getByText("billing", { exact: true })).toBeVisible();
  await expect(classes.getByText("bug", { exact: true })).toBeVisible();
  await expect(classes.getByText("Invoices, refunds, failed payments and pricing questions.")).toBeVisible();

  // The worker path end to end: a stats job is queued, run by the worker, and its result shows up.
  await page.getByRole("button", { name: "Refresh" }).click();
  await expect(page.getByLabel("Project statistics")).toBeVisible({ timeout: 30_000 });

  await page.goto("/projects");
  await expect(page.getByRole("link", { name: new RegExp(name) })).toBeVisible();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: "docs/screenshots/projects.png" });

  await page.getByRole("button", { name: /Admin/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
});
