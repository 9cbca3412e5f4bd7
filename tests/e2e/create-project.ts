import { expect, type Page } from "@playwright/test";

/** Creates a project through the dashboard's form and adds its classes through the class form, as an admin does. */
export async function createProject(
  page: Page,
  project: {
    name: string;
    description?: string;
    task?: "single" | "multilabel";
    classes: readonly (readonly [name: string, prompt: string])[];
  },
) {
  await page.getByRole("button", { name: "New project" }).click();
  const form = page.getByRole("form", { name: "New project" });
  await form.getByLabel("Name").fill(project.name);
  if (project.description) await form.getByLabel("Description").fill(project.description);
  if (project.task === "multilabel") await form.getByLabel("Task").selectOption("multilabel");
  await form.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { name: project.name })).toBeVisible();
  for (const [className, prompt] of project.classes) {
    await page.getByRole("button", { name: "Add class" }).click();
    const classForm = page.getByRole("form", { name: "New class" });
    await classForm.getByLabel("Class name").fill(className);
    await classForm.getByLabel("Description (prompt)").fill(prompt);
    await classForm.getByRole("button", { name: "Add class" }).click();
    await expect(page.getByRole("list", { name: "Classes" }).getByText(prompt)).toBeVisible();
  }
}
