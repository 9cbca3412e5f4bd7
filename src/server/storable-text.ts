// PostgreSQL stores neither NUL (text, jsonb: "unsupported Unicode escape sequence") nor an unpaired UTF-16
// surrogate (jsonb refuses its \ud800 escape; text silently gets U+FFFD). JavaScript strings hold both: JSON.parse
// of "\u0000" or "\ud800", a NUL byte in a CSV. Rows with them are refused (`bad_encoding`); anything else bound
// for the database (reports, messages, logs) goes through `storableJson`.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE_ALL = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** NUL and unpaired surrogates replaced by U+FFFD. */
export function storableText(text: string): string {
  return UNSTORABLE.test(text) ? text.replace(UNSTORABLE_ALL, "\uFFFD") : text;
}

/** Whether every string (keys included) in a JSON-like value is storable. */
export function isStorableJson(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const next = stack.pop();
    if (typeof next === "string") {
      if (!isStorableText(next)) return false;
    } else if (Array.isArray(next)) stack.push(...next);
    else if (next && typeof next === "object") {
      for (const [key, inner] of Object.entries(next)) {
        if (!isStorableText(key)) return false;
        stack.push(inner);
      }
    }
  }
  return true;
}

/** A copy of a JSON-like value with every string made storable (plain objects and arrays; other values as they are). */
export function storableJson<T>(value: T): T {
  if (typeof value === "string") return storableText(value) as T;
  if (Array.isArray(value)) return value.map((inner) => storableJson(inner)) as T;
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [storableText(key), storableJson(inner)]),
    ) as T;
  }
  return value;
}
