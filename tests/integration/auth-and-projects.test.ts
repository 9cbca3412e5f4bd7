import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, signIn, createTestDatabaseAndServer, type ApiServer } from "../helpers/api-server";
import { makeUser, TEST_PASSWORD } from "../helpers/factories";
import type { TestDatabase } from "../helpers/test-database";

let testDb: TestDatabase;
let server: ApiServer;

beforeAll(async () => {
  ({ testDb, server } = await createTestDatabaseAndServer());
});
afterAll(() => testDb.drop());

async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCClientError) return (error.data as { code?: string } | undefined)?.code;
    throw error;
  }
  return undefined;
}

describe("first-run setup and sign-in", () => {
  it("lets the first account become admin, then closes setup", async () => {
    const anonymous = apiClient(server.url);
    expect(await anonymous.users.needsSetup.query()).toBe(true);
    const admin = await anonymous.users.setup.mutate({
      email: "Founder@Example.test",
      name: "Founder",
      password: "first-admin-pw",
    });
    expect(admin.role).toBe("admin");
    expect(admin.email).toBe("founder@example.test");
    expect(admin).not.toHaveProperty("password");
    expect(await anonymous.users.needsSetup.query()).toBe(false);
    expect(
      await errorCode(
        anonymous.users.setup.mutate({ email: "late@example.test", name: "Late", password: "late-admin-pw" }),
      ),
    ).toBe("FORBIDDEN");

    const { client } = await signIn(server.url, "founder@example.test", "first-admin-pw");
    expect((await client.users.me.query()).role).toBe("admin");
  });

  it("rejects a wrong password and open sign-up", async () => {
    await expect(signIn(server.url, "founder@example.test", "wrong-password")).rejects.toThrow(/401/);
    const response = await fetch(`${server.url}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url },
      body: JSON.stringify({ email: "intruder@example.test", password: "intruder-pw", name: "Intruder" }),
    });
    expect(response.ok).toBe(false);
    expect(await testDb.db.user.findUnique({ where: { email: "intruder@example.test" } })).toBeNull();
  });

  it("never stores or returns passwords in clear", async () => {
    const account = await testDb.db.account.findFirstOrThrow({ where: { user: { email: "founder@example.test" } } });
    expect(account.password).not.toContain("first-admin-pw");
    const { client } = await signIn(server.url, "founder@example.test", "first-admin-pw");
    expect(JSON.stringify(await client.users.list.query())).not.toMatch(/password|first-admin-pw/);
  });
});

describe("roles", () => {
  it("refuses every procedure but the public ones to anonymous callers", async () => {
    const anonymous = apiClient(server.url);
    expect(await errorCode(anonymous.projects.list.query())).toBe("UNAUTHORIZED");
    expect(await errorCode(anonymous.projects.create.mutate({ name: "Nope" }))).toBe("UNAUTHORIZED");
  });

  it("gives annotators FORBIDDEN on admin procedures, and lets them read", async () => {
    const annotator = await makeUser(testDb.db, "annotator");
    const { client } = await signIn(server.url, annotator.email, TEST_PASSWORD);
    expect(await errorCode(client.projects.create.mutate({ name: "Annotator project" }))).toBe("FORBIDDEN");
    expect(await errorCode(client.users.list.query())).toBe("FORBIDDEN");
    expect(await errorCode(client.classes.create.mutate({ projectId: 1, name: "x" }))).toBe("FORBIDDEN");
    expect(Array.isArray(await client.projects.list.query())).toBe(true);
  });

  it("lets an admin create users and change roles, but never remove the last admin", async () => {
    const { client } = await signIn(server.url, "founder@example.test", "first-admin-pw");
    const created = await client.users.create.mutate({
      email: "ann@example.test",
      name: "Ann",
      password: "ann-password",
      role: "annotator",
    });
    expect(created.role).toBe("annotator");
    expect(
      await errorCode(
        client.users.create.mutate({ email: "ann@example.test", name: "Ann 2", password: "ann-password" }),
      ),
    ).toBe("CONFLICT");
    const me = await client.users.me.query();
    expect(await errorCode(client.users.updateAccess.mutate({ userId: me.id, role: "annotator" }))).toBe(
      "PRECONDITION_FAILED",
    );

    const ann = await signIn(server.url, "ann@example.test", "ann-password");
    await client.users.updateAccess.mutate({ userId: created.id, role: "admin" });
    expect((await ann.client.users.me.query()).role).toBe("admin");
    await client.users.updateAccess.mutate({ userId: created.id, disabled: true });
    expect(await errorCode(ann.client.users.me.query())).toBe("UNAUTHORIZED");
  });
});

describe("projects and classes", () => {
  it("creates a project with classes, edits and deletes them, with clear errors for bad input", async () => {
    const { client } = await signIn(server.url, "founder@example.test", "first-admin-pw");
    const project = await client.projects.create.mutate({ name: "Support tickets", taskType: "multiclass" });
    expect(project.featurizerId).toMatch(/glove/);
    expect(await errorCode(client.projects.create.mutate({ name: "Support tickets" }))).toBe("CONFLICT");
    expect(await errorCode(client.projects.create.mutate({ name: "   " }))).toBe("BAD_REQUEST");

    const billing = await client.classes.create.mutate({
      projectId: project.id,
      name: "billing",
      description: "Invoices, refunds, charges",
      hotkey: "b",
    });
    const bug = await client.classes.create.mutate({
      projectId: project.id,
      name: "bug",
      description: "Something is broken",
    });
    expect(bug.position).toBeGreaterThan(billing.position);
    expect(billing.color).not.toBe(bug.color);
    expect(await errorCode(client.classes.create.mutate({ projectId: project.id, name: "billing" }))).toBe("CONFLICT");
    expect(await errorCode(client.classes.create.mutate({ projectId: project.id, name: "other", hotkey: "b" }))).toBe(
      "CONFLICT",
    );
    expect(await errorCode(client.classes.create.mutate({ projectId: project.id, name: "skip", hotkey: " " }))).toBe(
      "BAD_REQUEST",
    );
    expect(await errorCode(client.classes.create.mutate({ projectId: 999_999, name: "ghost" }))).toBe("NOT_FOUND");

    await client.classes.update.mutate({ id: bug.id, description: "Crashes, errors, wrong results" });
    const fetched = await client.projects.get.query({ projectId: project.id });
    expect(fetched.classes.map((c) => [c.name, c.description])).toEqual([
      ["billing", "Invoices, refunds, charges"],
      ["bug", "Crashes, errors, wrong results"],
    ]);

    expect((await client.classes.delete.mutate({ id: bug.id })).mode).toBe("deleted");
    expect((await client.projects.get.query({ projectId: project.id })).classes.map((c) => c.name)).toEqual([
      "billing",
    ]);

    const audit = await testDb.db.auditLog.findMany({ where: { projectId: project.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual([
      "project.create",
      "class.create",
      "class.create",
      "class.update",
      "class.delete",
    ]);
  });

  it("updates project settings, offers only the featurizers this server can load, and rejects others", async () => {
    const { client } = await signIn(server.url, "founder@example.test", "first-admin-pw");
    const project = await client.projects.create.mutate({ name: "Settings check" });
    const featurizers = await client.projects.featurizers.query();
    expect(featurizers.map((f) => f.id)).toEqual([
      "ngrams@1+glove-sif-200@1",
      "ngrams@1+use-lite-512@1",
      "glove-sif-200@1",
      "use-lite-512@1",
    ]);
    expect(project.featurizerId).toBe(featurizers[0]!.id);
    const updated = await client.projects.update.mutate({
      projectId: project.id,
      data: {
        strategy: "entropy",
        retrainEvery: 50,
        includeGenerated: false,
        queueRandomShare: 0.2,
        featurizerId: "use-lite-512@1",
      },
    });
    expect(updated).toMatchObject({
      strategy: "entropy",
      retrainEvery: 50,
      includeGenerated: false,
      queueRandomShare: 0.2,
      featurizerId: "use-lite-512@1",
    });
    expect(
      await errorCode(
        client.projects.update.mutate({
          projectId: project.id,
          data: { featurizerId: "openai:text-embedding-3-small" },
        }),
      ),
    ).toBe("BAD_REQUEST");
    expect(await errorCode(client.projects.update.mutate({ projectId: project.id, data: { retrainEvery: 0 } }))).toBe(
      "BAD_REQUEST",
    );
    expect((await client.projects.get.query({ projectId: project.id })).featurizerId).toBe("use-lite-512@1");

    // An update changes only what it names: nothing falls back to a default.
    const binary = await client.projects.create.mutate({
      name: "Partial update check",
      taskType: "binary",
      strategy: "entropy",
      description: "kept",
    });
    const cls = await client.classes.create.mutate({
      projectId: binary.id,
      name: "spam",
      description: "Unwanted mail",
    });
    await client.projects.update.mutate({ projectId: binary.id, data: { retrainEvery: 7 } });
    expect(await client.projects.get.query({ projectId: binary.id })).toMatchObject({
      taskType: "binary",
      strategy: "entropy",
      description: "kept",
      retrainEvery: 7,
    });
    await client.classes.update.mutate({ id: cls.id, hotkey: "s" });
    expect((await client.projects.get.query({ projectId: binary.id })).classes[0]).toMatchObject({
      hotkey: "s",
      description: "Unwanted mail",
    });
  });

  it("archives instead of deleting a class that labels use, and restores it when re-created", async () => {
    const { client } = await signIn(server.url, "founder@example.test", "first-admin-pw");
    const project = await client.projects.create.mutate({ name: "Archive check" });
    const spam = await client.classes.create.mutate({ projectId: project.id, name: "spam" });
    const item = await testDb.db.item.create({
      data: { projectId: project.id, text: "win a prize", contentHash: "h1" },
    });
    await testDb.db.annotation.create({
      data: { projectId: project.id, itemId: item.id, classIds: [spam.id], origin: "human" },
    });
    expect((await client.classes.delete.mutate({ id: spam.id })).mode).toBe("archived");
    expect((await client.projects.get.query({ projectId: project.id })).classes).toHaveLength(0);
    const restored = await client.classes.create.mutate({ projectId: project.id, name: "spam" });
    expect(restored.id).toBe(spam.id);
  });

  it("keeps a binary project at two classes", async () => {
    const { client } = await signIn(server.url, "founder@example.test", "first-admin-pw");
    const project = await client.projects.create.mutate({ name: "Binary check", taskType: "binary" });
    await client.classes.create.mutate({ projectId: project.id, name: "yes" });
    await client.classes.create.mutate({ projectId: project.id, name: "no" });
    expect(await errorCode(client.classes.create.mutate({ projectId: project.id, name: "maybe" }))).toBe(
      "PRECONDITION_FAILED",
    );
  });
});
