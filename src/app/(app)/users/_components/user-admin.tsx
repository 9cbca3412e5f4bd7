"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { SelectField, TextField } from "@/components/ui/field";
import { InlineError } from "@/components/ui/inline-error";
import { useTRPC } from "@/trpc/react";

export function UserAdmin({ currentUserId }: { currentUserId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const users = useQuery(trpc.users.list.queryOptions());
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const access = useMutation(trpc.users.updateAccess.mutationOptions({ onSuccess: invalidate }));

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Users</h1>
        <p className="text-sm text-zinc-500">
          Admins manage projects, data and models; annotators work the review queue.
        </p>
      </div>
      <CreateUserForm onCreated={invalidate} />
      <Card title="Accounts">
        {access.error ? <InlineError error={access.error} className="mb-3" /> : null}
        <div className="-m-4 overflow-x-auto p-4" tabIndex={0} role="region" aria-label="Accounts, scrolls sideways">
          <table className="w-full text-left text-sm" aria-label="Accounts">
            <thead className="text-xs text-zinc-500">
              <tr>
                <th className="pb-2 font-medium">Name</th>
                <th className="pb-2 font-medium">Email</th>
                <th className="pb-2 font-medium">Role</th>
                <th className="pb-2 text-right font-medium">Labels</th>
                <th className="pb-2 text-right font-medium">Last 7 days</th>
                <th className="pb-2 text-right font-medium" title="Median time on an item">
                  s / label
                </th>
                <th className="pb-2 text-right font-medium">Last label</th>
                <th className="pb-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {users.data?.map((u) => (
                <tr key={u.id} className={u.disabledAt ? "text-zinc-400" : ""}>
                  <td className="py-2">
                    {u.name} {u.id === currentUserId ? <span className="text-xs text-zinc-400">(you)</span> : null}
                  </td>
                  <td className="py-2">{u.email}</td>
                  <td className="py-2">
                    <Badge tone={u.role === "admin" ? "indigo" : "neutral"}>{u.role}</Badge>{" "}
                    {u.disabledAt ? <Badge tone="red">disabled</Badge> : null}
                  </td>
                  <td className="py-2 text-right tabular-nums">{u.labels.toLocaleString()}</td>
                  <td className="py-2 text-right tabular-nums">{u.labelsLast7Days.toLocaleString()}</td>
                  <td className="py-2 text-right tabular-nums">
                    {u.medianSecondsPerLabel === null ? "–" : u.medianSecondsPerLabel.toFixed(1)}
                  </td>
                  <td className="py-2 text-right whitespace-nowrap text-zinc-500">
                    {u.lastLabelAt ? new Date(u.lastLabelAt).toLocaleDateString() : "–"}
                  </td>
                  <td className="py-2 text-right whitespace-nowrap">
                    <Button
                      variant="ghost"
                      disabled={access.isPending}
                      onClick={() => access.mutate({ userId: u.id, role: u.role === "admin" ? "annotator" : "admin" })}
                    >
                      Make {u.role === "admin" ? "annotator" : "admin"}
                    </Button>
                    <Button
                      variant="ghost"
                      disabled={access.isPending}
                      onClick={() => access.mutate({ userId: u.id, disabled: !u.disabledAt })}
                    >
                      {u.disabledAt ? "Enable" : "Disable"}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </div>
  );
}

function CreateUserForm({ onCreated }: { onCreated: () => void }) {
  const trpc = useTRPC();
  const [form, setForm] = useState({ name: "", email: "", password: "", role: "annotator" as "annotator" | "admin" });
  const [everyProject, setEveryProject] = useState(true);
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: () => {
        setForm({ name: "", email: "", password: "", role: "annotator" });
        onCreated();
      },
    }),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ ...form, projects: form.role === "annotator" && everyProject ? "all" : [] });
  }
  return (
    <Card title="Add a user">
      <form onSubmit={submit} className="grid items-end gap-3 sm:grid-cols-5" aria-label="Add a user">
        <TextField
          label="Name"
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          required
        />
        <TextField
          label="Email"
          type="email"
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
          required
        />
        <TextField
          label="Initial password"
          type="password"
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
          required
          minLength={8}
          autoComplete="new-password"
        />
        <SelectField
          label="Role"
          value={form.role}
          onChange={(e) => setForm({ ...form, role: e.target.value as "annotator" | "admin" })}
        >
          <option value="annotator">Annotator</option>
          <option value="admin">Admin</option>
        </SelectField>
        <Button type="submit" disabled={create.isPending}>
          Add user
        </Button>
        {form.role === "annotator" ? (
          <div className="sm:col-span-5">
            <Checkbox
              label="Member of every current project"
              hint="Annotators see only their projects; change it per project under Settings → Members."
              checked={everyProject}
              onChange={(e) => setEveryProject(e.target.checked)}
            />
          </div>
        ) : null}
        {create.error ? <InlineError error={create.error} className="sm:col-span-5" /> : null}
        {create.data ? (
          <p className="text-sm text-emerald-700 sm:col-span-5">
            Created {create.data.email}. Share the initial password with them privately.
          </p>
        ) : null}
      </form>
    </Card>
  );
}
