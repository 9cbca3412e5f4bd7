import { expect, test } from "@playwright/test";
import { signIn } from "./sign-in";

test("an admin changes a project's learning and queue settings, and they persist", async ({ page }) => {
  await page.goto("/sign-in");
  await signIn(page);
  await page.getByRole("link", { name: /Cats vs dogs/ }).click();
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Settings" }).click();

  const form = page.getByRole("form", { name: "Project settings" });
  await form.getByLabel("Ranking strategy").selectOption("margin_diversity");
  await form.getByLabel("Retrain every N new human labels").fill("35");
  await form.getByLabel("Random items (%)").fill("15");
  await form.getByRole("button", { name: "Save settings" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved");

  // Bad input is refused with the field's reason and nothing is saved.
  await form.getByLabel("Retrain every N new human labels").fill("0");
  await form
    .getByLabel("Retrain every N new human labels")
    .evaluate((el: HTMLInputElement) => el.removeAttribute("min"));
  await form.getByRole("button", { name: "Save settings" }).click();
  await expect(form.getByRole("alert")).toBeVisible();

  await page.reload();
  await expect(form.getByLabel("Ranking strategy")).toHaveValue("margin_diversity");
  await expect(form.getByLabel("Retrain every N new human labels")).toHaveValue("35");
  await expect(form.getByLabel("Random items (%)")).toHaveValue("15");

  const llm = page.getByRole("form", { name: "LLM settings" });
  await llm.getByLabel("Temperature").fill("0.3");
  await llm.getByRole("button", { name: "Save LLM settings" }).click();
  await expect(llm.getByRole("status")).toHaveText("Saved");
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: "docs/screenshots/settings.png", fullPage: true });
});
