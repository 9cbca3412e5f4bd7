import { expect, test } from "@playwright/test";
import { signIn } from "./sign-in";

test("an admin generates examples from the class prompts with an OpenAI-compatible LLM and watches the run", async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.goto("/sign-in");
  await signIn(page);
  await page.getByRole("link", { name: /Cats vs dogs/ }).click();
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Generate" }).click();

  await expect(page.getByText("fake-chat")).toBeVisible();
  const form = page.getByRole("form", { name: "New generation run" });
  await form.getByLabel("Examples per class").fill("8");
  await form.getByRole("button", { name: "Generate" }).click();

  // The run's progress moves while the worker calls the LLM, then the run completes with every example kept.
  const progress = page.getByRole("progressbar", { name: "Generation progress" });
  await expect(progress).toBeVisible();
  await expect(page.getByText(/^16 of 16 examples kept/)).toBeVisible({ timeout: 180_000 });
  await expect(progress).toHaveAttribute("aria-valuenow", "100");
  await expect(page.getByText("completed").first()).toBeVisible();
  await expect(page.getByRole("cell", { name: "8 / 8" })).toHaveCount(2);

  const examples = page.getByRole("list", { name: "Generated examples" });
  await expect(examples.getByRole("listitem")).toHaveCount(16);
  await page.getByLabel("Filter examples by class").selectOption({ label: "dog" });
  await expect(examples.getByRole("listitem")).toHaveCount(8);
  await page.getByText(/^Log \(\d+ lines\)/).click();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: "docs/screenshots/generate.png", fullPage: true });

  // Generated examples go through a person: the review queue serves them; Enter confirms, a class key corrects.
  await page.getByRole("link", { name: "Review in the queue" }).click();
  await expect(page.getByRole("link", { name: "Review generated examples" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByText(/an LLM wrote this as/)).toBeVisible();
  const firstText = await page.getByTestId("item-text").textContent();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("item-text")).not.toHaveText(firstText!);
  const secondText = await page.getByTestId("item-text").textContent();
  await page.keyboard.press("2");
  await expect(page.getByTestId("item-text")).not.toHaveText(secondText!);
  await expect(page.getByText("All labels saved")).toBeVisible();
  await page.goBack();
  await expect(examples.getByText("reviewed")).toHaveCount(2);

  // The same LLM labels without training: a zero-shot version, usable in the playground like any other.
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Models" }).click();
  await page.getByRole("button", { name: "Add zero-shot LLM version" }).click();
  await expect(page.getByRole("cell", { name: "Zero-shot LLM" }).first()).toBeVisible();
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Playground" }).click();
  const zeroShotOption = page
    .getByLabel("Version")
    .locator("option", { hasText: /zero-shot/i })
    .first();
  await page.getByLabel("Version").selectOption({ value: (await zeroShotOption.getAttribute("value"))! });
  await page.getByLabel("Texts, one per line").fill("The cat purred and meowed at the window.");
  await page.getByRole("button", { name: "Classify" }).click();
  await expect(page.getByRole("table", { name: /Predicted class/ }).getByRole("row")).toHaveCount(2, {
    timeout: 60_000,
  });
});
