/**
 * Progress of a long command on stderr, so stdout stays the command's output (JSON lines, an export) and can be
 * piped. On a terminal one line is redrawn as a bar; anywhere else (a pipe, a CI log) plain lines at every tenth of
 * the way, so a log shows the command is alive without thousands of lines; with --quiet nothing at all.
 */
export interface Progress {
  /** A step without a count ("loading the featurizer"). */
  phase(label: string): void;
  /** `done` of `total` units of the step called `label` (total unknown: undefined); a new label starts a new step. */
  update(label: string, done: number, total: number | undefined, unit?: string): void;
  /** A message that is not progress (a -v detail, a warning): printed once, above a bar if one is drawn. */
  note(line: string): void;
  /** Ends a drawn bar so that what follows starts on its own line. */
  end(): void;
}

export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const BAR_WIDTH = 24;

/** For work too short to report (classifying a handful of texts): notes still print, progress does not. */
export function notesOnly(progress: Progress): Progress {
  return { phase() {}, update() {}, note: (line) => progress.note(line), end() {} };
}

export function createProgress(stream: ProgressStream, options: { quiet?: boolean } = {}): Progress {
  if (options.quiet) {
    return { phase() {}, update() {}, note: (line) => void stream.write(`${line}\n`), end() {} };
  }
  return stream.isTTY ? terminalProgress(stream) : lineProgress(stream);
}

function lineProgress(stream: ProgressStream): Progress {
  let current = "";
  let lastStep = -1;
  return {
    phase(label) {
      current = label;
      lastStep = -1;
      stream.write(`${label}…\n`);
    },
    update(label, done, total, unit = "") {
      if (label !== current) {
        current = label;
        lastStep = -1;
      }
      // Deterministic by count, not by time: the same run prints the same lines. Without a total, a line each time
      // the count doubles.
      const step =
        total === undefined
          ? done > 0
            ? Math.floor(Math.log2(done))
            : -1
          : total > 0
            ? Math.floor((10 * Math.min(done, total)) / total)
            : 10;
      if (step === lastStep) return;
      lastStep = step;
      const of = total === undefined ? "" : `/${total.toLocaleString("en")}`;
      const share = total === undefined ? "" : ` (${step * 10}%)`;
      stream.write(`${label}: ${done.toLocaleString("en")}${of}${unit ? ` ${unit}` : ""}${share}\n`);
    },
    note: (line) => void stream.write(`${line}\n`),
    end() {},
  };
}

function terminalProgress(stream: ProgressStream): Progress {
  let drawn = "";
  const clear = () => {
    if (drawn) stream.write(`\r${" ".repeat(drawn.length)}\r`);
    drawn = "";
  };
  const draw = (text: string) => {
    // A terminal without a size (0 columns, e.g. under `script`) gets a usual width.
    const width = Math.max(20, (stream.columns || 80) - 1);
    const line = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    if (line === drawn) return;
    clear();
    stream.write(line);
    drawn = line;
  };
  return {
    phase: (label) => draw(`${label}…`),
    update(label, done, total, unit = "") {
      const count = `${done.toLocaleString("en")}${total === undefined ? "" : `/${total.toLocaleString("en")}`}${unit ? ` ${unit}` : ""}`;
      if (total === undefined) return draw(`${label}: ${count}`);
      const share = total > 0 ? Math.min(1, done / total) : 1;
      const filled = Math.round(share * BAR_WIDTH);
      draw(`${label} [${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${count}`);
    },
    note(line) {
      const bar = drawn;
      clear();
      stream.write(`${line}\n`);
      if (bar) draw(bar);
    },
    end: clear,
  };
}
