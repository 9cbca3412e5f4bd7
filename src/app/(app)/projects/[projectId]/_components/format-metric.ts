/** Scores in [0, 1] as percentages; missing or NaN-as-null values as an en dash. */
export function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || Number.isNaN(value) ? "–" : `${(value * 100).toFixed(digits)}%`;
}

export function decimal(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || Number.isNaN(value) ? "–" : value.toFixed(digits);
}

export const kindLabels: Record<string, string> = {
  logistic_regression: "Logistic regression",
  llm_zero_shot: "Zero-shot LLM",
};

export function dateTime(value: Date | string): string {
  return new Date(value).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
