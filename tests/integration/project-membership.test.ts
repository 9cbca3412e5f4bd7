import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "@/server/api/root";
import { createTestDatabaseAndServer, signIn, type ApiServer } from "../helpers/api-server";
import { addItems, makeProject, makeUser, TEST_PASSWORD } from "../helpers/factories";
import type { TestDatabase } from "../helpers/test-database";

// Project membership, driven from the router itself: every tRPC procedure must appear in `access` below, so a new
// procedure cannot be added without saying who may call it and how it names its project.

let testDb: TestDatabase;
let server: ApiServer;

interface Fixture {
  projectId: number;
  itemId: number;
  classId: number;
  modelVersionId: number;
  runId: number;
  jobId: string;
}

type Access =
  | { kind: "admin" } // annotators get FORBIDDEN whatever the input
  | { kind: "project"; input: (f: Fixture) => unknown } // annotators reach it only for their projects (404 otherwise)
  | { kind: "open"; why: string }; // names no project

const admin = { kind: "admin" } as const;
const project = (input: (f: Fixture) => unknown): Access => ({ kind: "project", input });
const byProject = project((f) => ({ projectId: f.projectId }));

const access: Record<string, Access> = {
  "adjudication.disagreements": admin,
  "adjudication.decide": admin,
  "apiKeys.list": admin,
  "apiKeys.create": admin,
  "apiKeys.revoke": admin,
  "classes.create": admin,
  "classes.update": admin,
  "classes.delete": admin,
  "flags.create": project((f) => ({ projectId: f.projectId, itemId: f.itemId, comment: "look" })),
  "flags.forItem": project((f) => ({ projectId: f.projectId, itemId: f.itemId })),
  "flags.resolve": admin,
  "generation.start": admin,
  "generation.list": byProject,
  "generation.get": project((f) => ({ runId: f.runId })),
  "generation.examples": project((f) => ({ runId: f.runId })),
  "generation.cancel": admin,
  "generation.templates": byProject,
  "guidelines.get": byProject,
  "guidelines.updateInstructions": admin,
  "guidelines.addExample": admin,
  "guidelines.removeExample": admin,
  "imports.preview": admin,
  "imports.start": admin,
  "items.list": byProject,
  "items.count": byProject,
  "items.get": project((f) => ({ projectId: f.projectId, itemId: f.itemId })),
  "items.similar": project((f) => ({ projectId: f.projectId, itemId: f.itemId })),
  "items.annotators": byProject,
  "jobs.list": byProject,
  "jobs.get": project((f) => ({ jobId: f.jobId })),
  "jobs.cancel": admin,
  "jobs.refreshStats": byProject,
  "labels.submit": project((f) => ({
    projectId: f.projectId,
    itemId: f.itemId,
    action: "label",
    classIds: [f.classId],
  })),
  "labels.annotators": admin,
  "labels.agreement": byProject,
  "labels.bulk": admin,
  "labels.mine": byProject,
  "labels.undo": byProject,
  "llm.status": admin,
  "llm.updateSettings": admin,
  "llm.createZeroShotVersion": admin,
  "llm.zeroShot": admin,
  "models.list": byProject,
  "models.get": project((f) => ({ modelVersionId: f.modelVersionId })),
  "models.learningCurve": byProject,
  "models.train": admin,
  "models.activate": admin,
  "models.compare": admin,
  "models.classify": project((f) => ({ projectId: f.projectId, texts: ["a text"], modelVersionId: f.modelVersionId })),
  "projects.list": { kind: "open", why: "lists only the caller's projects (tested below)" },
  "projects.get": byProject,
  "projects.create": admin,
  "projects.update": admin,
  "projects.members": admin,
  "projects.updateMembers": admin,
  "projects.featurizers": { kind: "open", why: "the server's featurizers, no project data" },
  "projects.freezeTestSplit": admin,
  "projects.delete": admin,
  "queue.next": byProject,
  "queue.progress": project((f) => ({ projectId: f.projectId, since: "2026-01-01T00:00:00.000Z" })),
  "stats.ensureFresh": byProject,
  "users.me": { kind: "open", why: "the caller's own account" },
  "users.needsSetup": { kind: "open", why: "public: whether the installation has users" },
  "users.setup": { kind: "open", why: "public: refused once an admin exists" },
  "users.list": admin,
  "users.create": admin,
  "users.updateAccess": admin,
};

// At run time tRPC keeps the procedures flat, keyed by their dotted path (its type describes the nested record).
const procedures = appRouter._def.procedures as unknown as Record<
  string,
  { _def: { type: "query" | "mutation" | "subscription" } }
>;

async function call(
  cookie: string,
  path: string,
  input: unknown,
): Promise<{ status: number; code?: string; body: unknown }> {
  const type = procedures[path]!._def.type;
  const payload = JSON.stringify({ json: input });
  const response =
    type === "query"
      ? await fetch(`${server.url}/api/trpc/${path}?input=${encodeURIComponent(payload)}`, { headers: { cookie } })
      : await fetch(`${server.url}/api/trpc/${path}`, {
          method: "POST",
          headers: { cookie, "content-type": "application/json", origin: server.url },
          body: payload,
        });
  const body = (await response.json()) as { error?: { json?: { data?: { code?: string } } } };
  return { status: response.status, code: body.error?.json?.data?.code, body };
}

async function makeFixture(name: string): Promise<Fixture> {
  const { project, classes } = await makeProject(testDb.db, { name, classes: ["alpha", "beta"], annotators: [] });
  const [itemId] = await addItems(testDb.db, project.id, [`a text of ${name}`]);
  const version = await testDb.db.modelVersion.create({
    data: { projectId: project.id, number: 1, featurizerId: "glove-sif-200@1", status: "failed" },
  });
  const job = await testDb.db.jobRun.create({ data: { projectId: project.id, type: "train", state: "completed" } });
  const run = await testDb.db.generationRun.create({
    data: {
      projectId: project.id,
      jobRunId: job.id,
      model: "fake",
      templateVersion: "lamini@1",
      seed: 1,
      targetPerClass: 1,
      classIds: classes.map((c) => c.id),
    },
  });
  return {
    projectId: project.id,
    itemId: itemId!,
    classId: classes[0]!.id,
    modelVersionId: version.id,
    runId: run.id,
    jobId: job.id,
  };
}

let mine: Fixture;
let theirs: Fixture;
let annotatorCookie: string;
let adminCookie: string;
let annotatorId: string;

beforeAll(async () => {
  ({ testDb, server } = await createTestDatabaseAndServer());
  const annotator = await makeUser(testDb.db, "annotator");
  const adminUser = await makeUser(testDb.db, "admin");
  annotatorId = annotator.id;
  mine = await makeFixture("Project A");
  theirs = await makeFixture("Project B");
  await testDb.db.projectMember.create({ data: { projectId: mine.projectId, userId: annotator.id } });
  annotatorCookie = (await signIn(server.url, annotator.email, TEST_PASSWORD)).cookie;
  adminCookie = (await signIn(server.url, adminUser.email, TEST_PASSWORD)).cookie;
});
afterAll(() => testDb.drop());

describe("every procedure is classified", () => {
  it("has an access entry for each procedure of the router, and none for procedures that are gone", () => {
    const paths = Object.keys(procedures).sort();
    expect(paths.length).toBeGreaterThan(60);
    expect(paths.filter((p) => !(p in access))).toEqual([]);
    expect(Object.keys(access).filter((p) => !(p in procedures))).toEqual([]);
  });
});

describe("an annotator of project A", () => {
  it("gets 404 on every project-scoped procedure of project B, and 403 on every admin procedure", async () => {
    const leaks: string[] = [];
    for (const [path, rule] of Object.entries(access)) {
      if (rule.kind === "open") continue;
      const { status, code } = await call(annotatorCookie, path, rule.kind === "project" ? rule.input(theirs) : {});
      const expected = rule.kind === "project" ? [404, "NOT_FOUND"] : [403, "FORBIDDEN"];
      if (status !== expected[0] || code !== expected[1]) leaks.push(`${path}: ${status} ${code}`);
    }
    expect(leaks).toEqual([]);
  });

  it("reaches the same procedures on project A (the check is not a blanket refusal)", async () => {
    const refused: string[] = [];
    for (const [path, rule] of Object.entries(access)) {
      if (rule.kind !== "project") continue;
      const { status, code } = await call(annotatorCookie, path, rule.input(mine));
      // Some fail for their own reasons here (the fixture's version failed, no vectors): never for access.
      if (status === 404 || status === 403 || code === "NOT_FOUND" || code === "FORBIDDEN" || status >= 500)
        refused.push(`${path}: ${status} ${code}`);
    }
    expect(refused).toEqual([]);
  });

  it("cannot reach project B's records through project A's id", async () => {
    const mixed: [string, unknown][] = [
      ["items.get", { projectId: mine.projectId, itemId: theirs.itemId }],
      ["items.similar", { projectId: mine.projectId, itemId: theirs.itemId }],
      ["flags.create", { projectId: mine.projectId, itemId: theirs.itemId, comment: "look" }],
      [
        "labels.submit",
        { projectId: mine.projectId, itemId: theirs.itemId, action: "label", classIds: [mine.classId] },
      ],
      ["models.classify", { projectId: mine.projectId, texts: ["a text"], modelVersionId: theirs.modelVersionId }],
    ];
    for (const [path, input] of mixed)
      expect([path, (await call(annotatorCookie, path, input)).code]).toEqual([path, "NOT_FOUND"]);
    // Flags are listed by (project, item): B's item under A's id has none, even when it has some under B.
    await testDb.db.itemFlag.create({
      data: { projectId: theirs.projectId, itemId: theirs.itemId, comment: "B's flag" },
    });
    const flags = (await call(annotatorCookie, "flags.forItem", { projectId: mine.projectId, itemId: theirs.itemId }))
      .body as { result: { data: { json: unknown[] } } };
    expect(flags.result.data.json).toEqual([]);
    const labelB = await call(annotatorCookie, "labels.submit", {
      projectId: mine.projectId,
      itemId: mine.itemId,
      action: "label",
      classIds: [theirs.classId],
    });
    expect(labelB.code).toBe("BAD_REQUEST");
  });

  it("cannot spend the LLM budget: classifying with a zero-shot version of their own project is refused", async () => {
    const zeroShot = await testDb.db.modelVersion.create({
      data: { projectId: mine.projectId, number: 2, kind: "llm_zero_shot", featurizerId: "llm", status: "ready" },
    });
    const refused = await call(annotatorCookie, "models.classify", {
      projectId: mine.projectId,
      texts: ["a text"],
      modelVersionId: zeroShot.id,
    });
    expect(refused).toMatchObject({ status: 403, code: "FORBIDDEN" });
    expect(JSON.stringify(refused.body)).toContain("zero-shot LLM version");
    await testDb.db.modelVersion.delete({ where: { id: zeroShot.id } });
  });

  it("sees only project A in the project list and only A's jobs in the job list; an admin sees both", async () => {
    const listed = (r: { body: unknown }) =>
      (r.body as { result: { data: { json: { id: number }[] } } }).result.data.json.map((p) => p.id);
    expect(listed(await call(annotatorCookie, "projects.list", undefined))).toEqual([mine.projectId]);
    expect(listed(await call(adminCookie, "projects.list", undefined))).toEqual([mine.projectId, theirs.projectId]);
    const jobs = (await call(annotatorCookie, "jobs.list", {})).body as {
      result: { data: { json: { projectId: number | null }[] } };
    };
    expect(new Set(jobs.result.data.json.map((j) => j.projectId))).toEqual(new Set([mine.projectId]));
    const allJobs = (await call(adminCookie, "jobs.list", {})).body as {
      result: { data: { json: { projectId: number | null }[] } };
    };
    expect(new Set(allJobs.result.data.json.map((j) => j.projectId))).toEqual(
      new Set([mine.projectId, theirs.projectId]),
    );
  });

  it("gets 403 from the plain HTTP routes that read or change a project (export, upload)", async () => {
    const exported = await fetch(`${server.url}/api/projects/${theirs.projectId}/export?format=csv`, {
      headers: { cookie: annotatorCookie },
    });
    expect(exported.status).toBe(403);
    const upload = await fetch(`${server.url}/api/projects/${theirs.projectId}/imports/upload?fileName=a.csv`, {
      method: "POST",
      headers: { cookie: annotatorCookie, origin: server.url },
      body: "text\nhello\n",
    });
    expect(upload.status).toBe(403);
  });
});

describe("an admin manages members", () => {
  it("adds and removes annotators, which opens and closes the project at once", async () => {
    const members = async () =>
      (
        (await call(adminCookie, "projects.members", { projectId: theirs.projectId })).body as {
          result: { data: { json: { id: string; member: boolean }[] } };
        }
      ).result.data.json;
    expect((await members()).find((m) => m.id === annotatorId)?.member).toBe(false);

    const added = await call(adminCookie, "projects.updateMembers", {
      projectId: theirs.projectId,
      add: [annotatorId],
    });
    expect(added.status).toBe(200);
    expect((await members()).find((m) => m.id === annotatorId)?.member).toBe(true);
    expect((await call(annotatorCookie, "projects.get", { projectId: theirs.projectId })).status).toBe(200);

    await call(adminCookie, "projects.updateMembers", { projectId: theirs.projectId, remove: [annotatorId] });
    expect((await call(annotatorCookie, "projects.get", { projectId: theirs.projectId })).status).toBe(404);
    const audit = await testDb.db.auditLog.findMany({
      where: { projectId: theirs.projectId, action: "project.members" },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => a.data)).toEqual([
      { added: [annotatorId], removed: [] },
      { added: [], removed: [annotatorId] },
    ]);
  });

  it("refuses to make an admin a member (admins see every project) and names unknown users", async () => {
    const me = ((await call(adminCookie, "users.me", undefined)).body as { result: { data: { json: { id: string } } } })
      .result.data.json;
    expect(
      (await call(adminCookie, "projects.updateMembers", { projectId: theirs.projectId, add: [me.id] })).code,
    ).toBe("BAD_REQUEST");
    const unknown = await call(adminCookie, "projects.updateMembers", {
      projectId: theirs.projectId,
      add: ["no-such-user"],
    });
    expect(unknown.code).toBe("NOT_FOUND");
    expect(JSON.stringify(unknown.body)).toContain("no-such-user");
  });

  it("creates an annotator who is a member of every current project, of the ones named, or of none", async () => {
    const created = async (email: string, projects?: unknown) =>
      (
        (
          await call(adminCookie, "users.create", {
            email,
            name: email,
            password: "a-long-password",
            role: "annotator",
            ...(projects === undefined ? {} : { projects }),
          })
        ).body as {
          result: { data: { json: { id: string } } };
        }
      ).result.data.json.id;
    const projectsOf = async (userId: string) =>
      (await testDb.db.projectMember.findMany({ where: { userId }, orderBy: { projectId: "asc" } })).map(
        (m) => m.projectId,
      );
    const everyProject = (await testDb.db.project.findMany({ orderBy: { id: "asc" } })).map((p) => p.id);
    expect(await projectsOf(await created("every@x.test", "all"))).toEqual(everyProject);
    expect(await projectsOf(await created("one@x.test", [theirs.projectId]))).toEqual([theirs.projectId]);
    expect(await projectsOf(await created("none@x.test"))).toEqual([]);
    const missing = await call(adminCookie, "users.create", {
      email: "ghost@x.test",
      name: "Ghost",
      password: "a-long-password",
      projects: [999_999],
    });
    expect(missing.code).toBe("NOT_FOUND");
    expect(await testDb.db.user.count({ where: { email: "ghost@x.test" } })).toBe(0);
  });

  it("starts a new project with every current annotator, with the ones chosen, or with nobody", async () => {
    const second = await makeUser(testDb.db, "annotator");
    const created = async (annotators?: unknown) =>
      (
        (
          await call(adminCookie, "projects.create", {
            name: `New ${Math.random()}`,
            ...(annotators === undefined ? {} : { annotators }),
          })
        ).body as { result: { data: { json: { id: number } } } }
      ).result.data.json.id;
    const memberIds = async (projectId: number) =>
      (await testDb.db.projectMember.findMany({ where: { projectId }, orderBy: { userId: "asc" } })).map(
        (m) => m.userId,
      );
    const annotators = (await testDb.db.user.findMany({ where: { role: "annotator" }, orderBy: { id: "asc" } })).map(
      (u) => u.id,
    );
    expect(annotators).toEqual(expect.arrayContaining([annotatorId, second.id]));
    expect(await memberIds(await created("all"))).toEqual(annotators);
    expect(await memberIds(await created([second.id]))).toEqual([second.id]);
    expect(await memberIds(await created())).toEqual([]);
  });
});
