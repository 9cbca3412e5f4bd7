import { afterEach, describe, expect, it, vi } from "vitest";
import { throttledProgress } from "@/server/domain/job-runs/throttled-progress";

afterEach(() => {
  vi.useRealTimers();
});

describe("throttledProgress", () => {
  it("writes the first call, skips calls within the interval, and writes again once it has passed", async () => {
    vi.useFakeTimers();
    const written: number[] = [];
    const progress = throttledProgress(async (done) => void written.push(done), 1000);
    await progress(1);
    await progress(2);
    vi.advanceTimersByTime(999);
    await progress(3);
    vi.advanceTimersByTime(1);
    await progress(4);
    await progress(5);
    expect(written).toEqual([1, 4]);
  });
});
