import { expect, type Page } from "@playwright/test";
import { E2E_ADMIN } from "../../playwright.config";

/**
 * Signs in through the form, as a person does. Sign-in is rate limited (3 attempts per 10 s per address, a
 * brute-force guard that stays on in tests); the specs sign in back to back from one address, so when the form
 * says "Too many requests" this waits out the window and submits again, as a person would.
 */
export async function signIn(page: Page, account: { email: string; password: string } = E2E_ADMIN) {
  if (!page.url().endsWith("/sign-in")) await page.goto("/sign-in");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  for (let attempt = 0; ; attempt++) {
    await page.getByRole("button", { name: "Sign in" }).click();
    const outcome = await Promise.race([
      page.waitForURL((url) => !url.pathname.endsWith("/sign-in"), { timeout: 20_000 }).then(() => "in" as const),
      page
        .getByText("Too many requests")
        .waitFor({ timeout: 20_000 })
        .then(() => "limited" as const),
    ]);
    if (outcome === "in") break;
    expect(attempt, "still rate limited after waiting").toBeLessThan(3);
    await page.waitForTimeout(10_500);
  }
  await expect(page.getByRole("heading", { name: "Projects" })).toBeVisible();
}
