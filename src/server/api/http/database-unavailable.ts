import { db } from "@/server/db";

/**
 * Whether the database fails to answer a trivial query within 3 s. For handlers that turn every failure into a 500
 * of their own (better-auth): a 500 while this is true was the outage, and is reported as one.
 */
export async function databaseUnreachable(): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), 3000);
  });
  try {
    return await Promise.race([
      db().$queryRaw`SELECT 1`.then(
        () => false,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
